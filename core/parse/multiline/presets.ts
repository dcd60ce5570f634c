/**
 * Decides, line by line, whether a line continues the event being assembled. Stateful presets keep
 * their state in the closure, so every assembler gets its own from the preset's factory.
 */
export type Continues = (text: string) => boolean;

export const PRESETS = ['java', 'python'] as const;
export type Preset = (typeof PRESETS)[number];

export const PRESET_FACTORIES: Record<Preset, () => Continues> = {
  java: javaContinues,
  python: pythonContinues,
};

/**
 * A Java stack trace under the line that logged it:
 * ```
 * 2026-11-23 12:00:00,101 ERROR [exec-3] c.e.payments.Gateway - charge failed
 * java.net.SocketTimeoutException: Read timed out        ← exception header, not indented
 *     at java.base/java.net.SocketInputStream.read(…)    ← indented frames (also `Suppressed:`)
 * Caused by: java.io.IOException: connection reset
 *     ... 12 more
 * ```
 * The header is recognised by its fully qualified class name ending in Exception, Error or Throwable
 * (`java.lang.IllegalStateException`, `java.lang.OutOfMemoryError: …`), the only unindented line of a
 * trace that names no fixed keyword.
 */
const JAVA_CONTINUATION =
  /^(?:[ \t]|Caused by: |\.\.\. \d+ (?:more|common frames omitted)|(?:[a-zA-Z_$][\w$]*\.)+[\w$]*(?:Exception|Error|Throwable)(?::|$))/;

function javaContinues(): Continues {
  return (text) => JAVA_CONTINUATION.test(text);
}

/**
 * A Python traceback under the line that logged it:
 * ```
 * 2026-11-23 12:00:02,050 ERROR worker[77] task failed
 * Traceback (most recent call last):                    ← opens the traceback
 *   File "/app/worker.py", line 42, in run              ← indented frames and source lines
 *     result = task()
 * ValueError: bad input                                 ← NOT indented: the last line of the traceback
 *                                                       ← chained exceptions: a blank line,
 * During handling of the above exception, another exception occurred:
 *                                                       ← another blank line, then another Traceback
 * ```
 * The exception line cannot be told by its text (any class name, custom ones too), so it is told by its
 * place: the first unindented line after `Traceback`'s frames. Outside a traceback, indented lines still
 * continue (multi-line messages); blank lines continue only after a traceback, where a chain may follow.
 */
const TRACEBACK = 'Traceback (most recent call last):';
const CHAIN_CAUSE = 'The above exception was the direct cause of the following exception:';
const CHAIN_DURING = 'During handling of the above exception, another exception occurred:';

function pythonContinues(): Continues {
  let state: 'outside' | 'frames' | 'after' = 'outside';
  return (text) => {
    if (text.startsWith(TRACEBACK)) {
      state = 'frames';
      return true;
    }
    const first = text.charCodeAt(0);
    const indented = first === 32 || first === 9;
    const blank = text === '' || text === '\r';
    if (state === 'frames') {
      if (!indented && !blank) state = 'after'; // the exception line closes the traceback
      return true;
    }
    if (indented) return true;
    if (state === 'after' && (blank || text.startsWith(CHAIN_CAUSE) || text.startsWith(CHAIN_DURING)))
      return true;
    state = 'outside';
    return false;
  };
}
