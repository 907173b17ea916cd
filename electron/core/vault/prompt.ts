// A PromptPort for terminals: prints the question, reads one line without echoing it. When stdin is
// not a TTY (piped from a secret manager) it simply reads a line. Plain node:readline, no 'electron'.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { OutpostError } from '../../../shared/errors';
import type { PromptPort } from './passphrase';

export interface TtyPromptOptions {
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where the question goes; stderr by default so stdout stays clean for command output. */
  output?: NodeJS.WritableStream;
}

export function createTtyPrompt(options: TtyPromptOptions = {}): PromptPort {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  return (question) =>
    new Promise<string>((resolve, reject) => {
      output.write(question);
      // Everything readline echoes (the typed characters) is swallowed; only our newline is printed.
      const muted = new Writable({
        write(_chunk, _encoding, callback) {
          callback();
        },
      });
      const rl = createInterface({ input, output: muted, terminal: input.isTTY === true });
      let answered = false;
      rl.once('line', (line) => {
        answered = true;
        output.write('\n');
        rl.close();
        resolve(line);
      });
      // Ctrl-C in raw mode reaches readline, not the process: treat it as "no answer".
      rl.once('SIGINT', () => rl.close());
      rl.once('close', () => {
        if (!answered) reject(new OutpostError('locked', 'No passphrase was entered (the input ended).'));
      });
    });
}
