/** Where callbacks print (Keras's io_utils.print_msg): a line on stdout, or console.log in a browser. */
import { defaultStream } from '../utils/progbar.js';

export function printMessage(text: string): void {
  defaultStream().write(`${text}\n`);
}
