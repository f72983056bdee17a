import rule from '../../src/core/rules/go-install-pin.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@v0.16.2',
    { name: 'local packages', code: 'FROM golang:1.23\nRUN go install ./cmd/app && go install .' },
    { name: 'a commit', code: 'FROM golang:1.23\nRUN go install github.com/a/b/cmd/c@4f3c2a1' }
  ],
  invalid: [
    { code: 'FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@latest', errors: [{ line: 2, message: 'golang.org/x/tools/gopls@v<version>' }] },
    { name: 'no version', code: 'FROM golang:1.23\nRUN go install -v github.com/a/b/cmd/c', errors: [{ line: 2 }] }
  ]
});
