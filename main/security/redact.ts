/**
 * The one redaction at the boundary where endpoint answers and errors are recorded (runs, rationales)
 * or printed (stderr, error envelopes, job errors). It removes the values this process knows to be
 * secret (keys read from the secret store, keys found in an endpoint URL) wherever they appear, and by
 * shape: Authorization / Bearer values, URL userinfo, query parameters named like key/token/secret, and
 * key-shaped path segments.
 */

const MASK = '***';
const known = new Set<string>();

/** Remembers a value as secret for the rest of the process (a key read from the store or given in a URL). */
export function registerSecret(value: string | null | undefined): void {
  const v = value?.trim();
  if (!v || v.length < 6) return; // shorter values would mask ordinary words; shapes below still apply
  known.add(v);
  // an echo may come URL-encoded (a key in a query string or a path)
  const encoded = encodeURIComponent(v);
  if (encoded !== v) known.add(encoded);
}

const SECRET_PARAM = /key|token|secret|auth|password|passwd|signature|sig$|credential/i;

/** A path segment that looks like a key rather than a route or a model name. */
export function isKeyShaped(segment: string): boolean {
  if (/^(sk|pk|rk|ak|key|api|tok|token|secret)[-_][A-Za-z0-9_-]{6,}$/i.test(segment)) return true;
  if (segment.length < 24 || !/^[A-Za-z0-9_-]+$/.test(segment)) return false;
  const digits = segment.replace(/[^0-9]/g, '').length;
  const letters = segment.replace(/[^A-Za-z]/g, '').length;
  return digits >= 4 && letters >= 4;
}

/** The secrets an endpoint URL carries: userinfo, key-like query values, key-shaped path segments. */
export function secretsInUrl(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  const found: string[] = [];
  if (u.username) found.push(decodeURIComponent(u.username));
  if (u.password) found.push(decodeURIComponent(u.password));
  for (const [k, v] of u.searchParams) if (SECRET_PARAM.test(k) && v) found.push(v);
  for (const seg of u.pathname.split('/')) if (isKeyShaped(decodeURIComponent(seg))) found.push(decodeURIComponent(seg));
  return found;
}

/** A URL fit to show or store: no userinfo, key-like query values and key-shaped path segments masked. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(invalid url)';
  }
  u.username = '';
  u.password = '';
  for (const k of [...u.searchParams.keys()]) if (SECRET_PARAM.test(k)) u.searchParams.set(k, MASK);
  u.pathname = u.pathname
    .split('/')
    .map((seg) => (isKeyShaped(decodeURIComponent(seg)) ? MASK : seg))
    .join('/');
  return redactKnown(u.toString().replace(/\*\*\*|%2A%2A%2A/g, MASK));
}

function redactKnown(text: string): string {
  let out = text;
  for (const v of [...known].sort((a, b) => b.length - a.length)) out = out.split(v).join(MASK);
  return out;
}

/** `text` with every known secret and every secret-shaped value masked. */
export function redactSecrets(text: string): string {
  let out = redactKnown(text);
  // URLs inside the text (an endpoint echoing the request line)
  out = out.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi, (m) => {
    const r = redactUrl(m);
    return r === '(invalid url)' ? m.replace(/\/\/[^/@\s]*@/, '//') : r;
  });
  out = out
    .replace(/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${MASK}`)
    .replace(/(authorization["']?\s*[:=]\s*["']?)(?!Bearer|Basic|Token)[^\s"',;}]+/gi, `$1${MASK}`)
    .replace(/((?:api[_-]?key|access[_-]?token|token|secret|password|x-api-key)["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi, `$1${MASK}`)
    .replace(/\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, MASK);
  return out;
}
