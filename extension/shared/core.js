// The wasm core as a page or the service worker runs it: started once, and started afresh after a
// trap (an input that stops the wasm leaves its instance unusable: every later call would fail, and
// with it every banner, the overlay and the guard). The input that trapped is set aside by the
// caller; `onRestart` puts the last sound configuration back in force.

/** Thrown by `run` after a trap: the core was started again; the call's input should not be retried. */
export class CoreStopped extends Error {}

const isTrap = (error) => error instanceof WebAssembly.RuntimeError;

/**
 * Starts the core from `wasmUrl` through its wasm-bindgen `glue` (the worker's module, or the
 * options page's, which adds the importers). `run(fn)` calls `fn(redline)` with the engine in use;
 * after a trap it starts a fresh instance, calls `onRestart(redline)` on it, and throws CoreStopped.
 */
export async function startCore(glue, wasmUrl, { onRestart } = {}) {
  const { Redline, reinstantiate } = glue;
  await glue.default({ module_or_path: wasmUrl });
  let redline = new Redline();
  const restart = () => {
    // The old engine's pointer belongs to the old instance: freed later by the garbage collector,
    // it would free whatever the new instance put at the same address.
    redline.__destroy_into_raw();
    reinstantiate();
    redline = new Redline();
  };
  const recover = (error) => {
    if (!isTrap(error)) throw error;
    restart();
    try {
      onRestart?.(redline);
    } catch (again) {
      // The last sound configuration trapped too: the seed it is.
      if (!isTrap(again)) throw again;
      restart();
    }
    throw new CoreStopped(`redline's core stopped on this input (${error.message}) and was started again`);
  };
  return {
    /** `fn(redline)`, synchronous or a promise; a trap in either restarts the core. */
    run(fn) {
      let result;
      try {
        result = fn(redline);
      } catch (error) {
        recover(error);
      }
      return result instanceof Promise ? result.catch(recover) : result;
    },
  };
}
