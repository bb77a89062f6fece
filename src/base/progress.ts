/**
 * Progress for long work (paging through every user, bulk commands, playbooks). The CLI shows it
 * on stderr when stderr is a terminal and stays silent when piped; the API is silent by default.
 */
export interface ProgressTask {
  /** Records `by` more units done, with an optional short detail (e.g. the current page). */
  advance(by?: number, detail?: string): void;
  /** Sets the total once it is known (e.g. Graph's `@odata.count` on the first page). */
  total?(total: number): void;
  end(): void;
}

export interface Progress {
  begin(label: string, total?: number): ProgressTask;
}

const noopTask: ProgressTask = { advance() {}, end() {} };
export const silentProgress: Progress = { begin: () => noopTask };

interface TerminalLike {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Redraws one status line, at most every `intervalMs`; clears it when the task ends. */
export function terminalProgress(
  stream: TerminalLike,
  intervalMs = 100,
  now = () => Date.now(),
): Progress {
  if (!stream.isTTY) return silentProgress;
  return {
    begin(label, initialTotal) {
      let total = initialTotal;
      let done = 0;
      let lastDraw = 0;
      let drawn = false;
      const draw = (detail?: string) => {
        const count = total ? `${done}/${total}` : `${done}`;
        stream.write(`\r\x1b[2K${label}: ${count}${detail ? ` (${detail})` : ''}`);
        drawn = true;
      };
      return {
        advance(by = 1, detail) {
          done += by;
          if (now() - lastDraw >= intervalMs) {
            lastDraw = now();
            draw(detail);
          }
        },
        total(known) {
          total = known;
        },
        end() {
          if (drawn) stream.write('\r\x1b[2K');
        },
      };
    },
  };
}
