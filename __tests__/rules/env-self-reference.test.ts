import rule from '../../src/core/rules/env-self-reference.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'separate ENV instructions', code: 'FROM alpine:3.20\nENV APP_HOME=/app\nENV PATH=$APP_HOME/bin:$PATH' },
    { name: 'own name (previous value on purpose)', code: 'FROM alpine:3.20\nENV PATH=/app/bin:$PATH LANG=C.UTF-8' },
    { name: 'refers to a later pair (old value either way)', code: 'FROM alpine:3.20\nENV B=$A A=1' },
    { name: 'single-quoted reference is literal', code: "FROM alpine:3.20\nENV A=1 B='$A'" },
    { name: 'escaped reference is literal', code: 'FROM alpine:3.20\nENV A=1 B=\\$A' },
    { name: 'legacy form has one pair', code: 'FROM alpine:3.20\nENV A 1 $A' },
    { name: 'prefix of another name', code: 'FROM alpine:3.20\nENV A=1 B=$AB' },
    { name: 'ARG is not ENV', code: 'FROM alpine:3.20\nARG A=1 B=$A' },
    { name: 'Windows escape: backtick-escaped $', code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV A=1 B=`$A' }
  ],
  invalid: [
    {
      code: 'FROM alpine:3.20\nENV A=1 B=$A',
      errors: [
        {
          line: 2,
          message:
            'ENV B uses $A, which this same ENV sets: $A expands to the value from before this instruction (empty if unset), not the value set here; set A in an earlier ENV instruction'
        }
      ]
    },
    {
      name: 'braces and default',
      code: 'FROM alpine:3.20\nENV APP_HOME=/app PATH=${APP_HOME}/bin:$PATH',
      errors: [{ line: 2, message: 'ENV PATH uses $APP_HOME' }]
    },
    { name: 'inside a ${X:-default}', code: 'FROM alpine:3.20\nENV A=1 B=${C:-$A}', errors: [{ line: 2, message: '$A' }] },
    { name: 'double quotes still expand', code: 'FROM alpine:3.20\nENV A=1 B="x $A y"', errors: [{ line: 2 }] },
    {
      name: 'two references in one pair',
      code: 'FROM alpine:3.20\nENV A=1 B=2 C=$A-$B',
      errors: [{ line: 2, message: 'uses $A, $B, which this same ENV sets: $A, $B expand' }]
    },
    {
      name: 'each offending pair',
      code: 'FROM alpine:3.20\nENV A=1 B=$A C=$B',
      errors: [
        { line: 2, message: 'ENV B' },
        { line: 2, message: 'ENV C' }
      ]
    },
    { name: 'defined before too: still the old value', code: 'FROM alpine:3.20\nENV A=0\nENV A=1 B=$A', errors: [{ line: 3 }] },
    { name: 'redefined then used by its own name', code: 'FROM alpine:3.20\nENV A=1 A=$A:2', errors: [{ line: 2 }] },
    {
      name: 'continuation lines: the line of the pair',
      code: 'FROM alpine:3.20\nENV GOPATH=/go \\\n    GOBIN=/usr/local/bin \\\n    PATH=$GOPATH/bin:$PATH',
      errors: [{ line: 4, message: 'ENV PATH uses $GOPATH' }]
    },
    {
      name: 'escape directive with backtick continuation',
      code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV TOOLS=C:\\tools `\n    PATH=$TOOLS;C:\\Windows',
      errors: [{ line: 4 }]
    },
    { name: 'multi-stage', code: 'FROM alpine:3.20 AS a\nENV X=1 Y=$X\nFROM alpine:3.20\nENV P=1 Q=${P}', errors: [{ line: 2 }, { line: 4 }] },
    { name: 'heredoc before it', code: 'FROM alpine:3.20\nRUN <<EOF\necho hi\nEOF\nENV A=1 B=$A', errors: [{ line: 5 }] }
  ]
});
