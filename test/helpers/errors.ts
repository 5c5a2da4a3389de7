/** The error `f` throws (fails the test when it throws none). */
export function errorOf<E = Error>(f: () => unknown): E {
  try {
    f();
  } catch (e) {
    return e as E;
  }
  throw new Error('expected an error');
}
