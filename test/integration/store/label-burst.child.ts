// Child process for the crash test: edits labels as fast as it can and reports each committed change
// on stdout, until it is killed.
import { ProjectStore } from '../../../main/store';

const [file, seriesArg] = process.argv.slice(2);
const store = ProjectStore.open(file);
const seriesId = Number(seriesArg);
for (let i = 0; ; i++) {
  const start = i % 900;
  const [label] = store.createLabels([{ seriesId, start, end: start + 10, note: `burst ${i}` }]);
  process.stdout.write(`created ${label.id} ${start}\n`);
  if (i % 5 === 4) {
    store.updateLabel(label.id, { end: start + 20 });
    process.stdout.write(`updated ${label.id} ${start + 20}\n`);
  }
  if (i % 7 === 6) {
    store.deleteLabels([label.id]);
    process.stdout.write(`deleted ${label.id}\n`);
  }
}
