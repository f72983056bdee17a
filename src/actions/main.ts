/** The umbrella action: `command: lint | verify | gate | comment` dispatches to one composable action. */
import * as core from '@actions/core';
import { run as runComment } from './comment.js';
import { run as runGate } from './gate.js';
import { run as runLint } from './lint.js';
import { run as runVerify } from './verify.js';

const COMMANDS: Record<string, () => Promise<void>> = {
  lint: runLint,
  verify: runVerify,
  gate: runGate,
  comment: runComment
};

export async function run(): Promise<void> {
  const raw = core.getInput('command');
  const command = (raw || 'lint').toLowerCase();
  const impl = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!impl) {
    core.setFailed(`input command: "${raw}" is not one of ${Object.keys(COMMANDS).join(', ')}`);
    return;
  }
  await impl();
}
