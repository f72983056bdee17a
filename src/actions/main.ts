/** The umbrella action: `command: lint | verify | gate | comment` dispatches to one composable action. */
import * as core from '@actions/core';
import { run as runComment } from './comment.js';
import { run as runGate } from './gate.js';
import { run as runLint } from './lint.js';
import { run as runVerify } from './verify.js';

const COMMANDS: Record<string, (() => Promise<void>) | undefined> = {
  lint: runLint,
  verify: runVerify,
  gate: runGate,
  comment: runComment
};

export async function run(): Promise<void> {
  const command = (core.getInput('command') || 'lint').trim().toLowerCase();
  if (!(command in COMMANDS)) {
    core.setFailed(`unknown command "${command}": use one of ${Object.keys(COMMANDS).join(', ')}`);
    return;
  }
  const impl = COMMANDS[command];
  if (!impl) {
    core.setFailed(`command "${command}" is not available in this version yet`);
    return;
  }
  await impl();
}
