import { ref, type Ref } from 'vue';
import { ZONE_SETTINGS, type ZoneSetting } from '../support/time';

const KEY = 'tsad.timeZone';
const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null;
const setting = ref<ZoneSetting>(ZONE_SETTINGS.includes(stored as ZoneSetting) ? (stored as ZoneSetting) : 'file');

/** The zone times are shown in (a setting kept across sessions): the file's, local, or UTC. */
export function useTimeSetting(): { zone: Ref<ZoneSetting>; setZone: (z: ZoneSetting) => void } {
  return {
    zone: setting,
    setZone: (z) => {
      setting.value = z;
      localStorage.setItem(KEY, z);
    },
  };
}
