import rule from '../../src/core/rules/consecutive-run.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    { name: 'another instruction between', code: 'FROM debian:12\nRUN a\nENV X=1\nRUN b' },
    { name: 'different mounts', code: 'FROM debian:12\nRUN --mount=type=cache,target=/root/.cache pip install x\nRUN echo done' },
    { name: 'different stages', code: 'FROM debian:12 AS a\nRUN a\nFROM debian:12\nRUN b' }
  ],
  invalid: [
    { code: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl', errors: [{ line: 3, message: 'RUN right after the RUN at line 2' }] },
    { name: 'three', code: 'FROM debian:12\nRUN a\nRUN b\nRUN c', errors: [{ line: 3 }, { line: 4 }] }
  ]
});
