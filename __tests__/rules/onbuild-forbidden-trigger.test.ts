import rule from '../../src/core/rules/onbuild-forbidden-trigger.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: ['FROM node:22\nONBUILD COPY . /app\nONBUILD RUN npm ci'],
  invalid: [
    { code: 'FROM node:22\nONBUILD FROM node:22-alpine', errors: [{ line: 2, message: "FROM isn't allowed as an ONBUILD trigger" }] },
    {
      name: 'ONBUILD ONBUILD, MAINTAINER, any case',
      code: 'FROM x:1\nonbuild onbuild RUN x\nONBUILD maintainer me',
      errors: [{ line: 2 }, { line: 3, message: 'MAINTAINER' }]
    }
  ]
});
