import rule from '../../src/core/rules/run-cd.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM golang:1.23\nWORKDIR /src\nRUN go build ./...',
    { name: 'cd as an argument, not a command', code: 'FROM alpine:3.20\nRUN echo cd /tmp && mkdir cd' },
    { name: 'exec form', code: 'FROM alpine:3.20\nRUN ["sh", "-c", "cd /x && make"]' },
    { name: 'WORKDIR instruction', code: 'FROM alpine:3.20\nWORKDIR /tmp' },
    { name: 'variable named cd', code: 'FROM alpine:3.20\nRUN CD=/tmp make' },
    {
      name: 'cd into a source tree extracted in the same RUN',
      code: 'FROM debian:12\nRUN curl -L -o git.tgz https://x.example/git.tgz \\\n && tar zxf git.tgz \\\n && cd git-$GIT_VERSION \\\n && make install'
    },
    { name: 'tar -xf … -C dir, then cd dir', code: 'FROM debian:12\nRUN mkdir -p src; tar -xf httpd.tar.bz2 -C src --strip-components=1; cd src; make' },
    { name: 'cd into a git clone', code: 'FROM golang:1.23\nRUN git clone --depth 1 https://github.com/x/tools.git tools && cd tools && go build ./...' },
    {
      name: 'cd into a git clone named after the repository',
      code: 'FROM golang:1.23\nRUN git clone https://github.com/x/kubetest2.git && cd kubetest2 && go build ./...'
    },
    {
      name: 'a throw-away build directory removed at the end',
      code: 'FROM debian:12\nRUN mkdir -p /tmp/build && cd /tmp/build && wget https://x.example/v.zip && unzip v.zip && cd / && rm -rf /tmp/build'
    },
    {
      name: 'a scratch directory made by mkdir in the same RUN',
      code: 'FROM debian:12\nRUN mkdir -p /tmp/ssm && cd /tmp/ssm && curl -fsSLo ssm.deb https://x.example/ssm.deb && dpkg -i ssm.deb'
    },
    { name: 'cd / before deleting a source tree', code: 'FROM debian:12\nRUN cd / && rm -rf $N_SRC_DIR && rm -rf /tmp/*' },
    { name: 'a parent removed at the end', code: 'FROM debian:12\nRUN cd /usr/src/ruby/ext && make && rm -rf /usr/src/ruby' },
    {
      name: 'into the tree apt-get source unpacked, inside a throw-away directory',
      code: 'FROM ubuntu:14.04\nRUN mkdir -p /usr/src/git \\\n && cd /usr/src/git \\\n && apt-get source git \\\n && cd $(find . -maxdepth 1 -type d -name "git-*") \\\n && dpkg-buildpackage -b \\\n && rm -rf /usr/src/git'
    },
    {
      name: 'a relative cd between two steps of one script, the first working on the starting directory',
      code: 'FROM golang:1.23\nWORKDIR /src\nRUN <<EOT\nset -ex\ngo test -bench=. .\ncd bench\ngo test -bench=. .\nEOT'
    }
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nRUN cd /usr/src/app && make', errors: [{ line: 2, message: 'set WORKDIR /usr/src/app before this RUN' }] },
    {
      name: 'standalone cd on a continuation line',
      code: 'FROM alpine:3.20\nRUN cmake --version \\\n && cd /build \\\n && cmake ..',
      errors: [{ line: 3, message: 'WORKDIR /build' }]
    },
    {
      name: 'relative and variable targets',
      code: 'FROM alpine:3.20\nRUN cd src && make\nRUN cd "$HOME" && ls',
      errors: [
        { line: 2, message: 'WORKDIR <absolute path>' },
        { line: 3, message: 'WORKDIR <absolute path>' }
      ]
    },
    { name: 'once per RUN, in a subshell', code: 'FROM alpine:3.20\nRUN (cd /a && make) && (cd /b && make)', errors: [{ line: 2, message: 'WORKDIR /a' }] },
    {
      name: 'mkdir -p of a lasting directory, then cd: WORKDIR does that',
      code: 'FROM debian:12\nENV RUNNER_ASSETS_DIR=/runnertmp\nRUN mkdir -p "$RUNNER_ASSETS_DIR" && cd "$RUNNER_ASSETS_DIR" && curl -fLo runner.tgz https://x.example/r.tgz',
      errors: [{ line: 3 }]
    },
    {
      name: 'a removal of another directory does not excuse the cd',
      code: 'FROM debian:12\nRUN cd /opt/app && make && rm -rf /tmp/build',
      errors: [{ line: 2 }]
    },
    {
      name: 'an absolute cd after work on the starting directory is still reported',
      code: 'FROM golang:1.23\nRUN go vet . && cd /opt/app && make',
      errors: [{ line: 2, message: 'WORKDIR /opt/app' }]
    },
    {
      name: 'a relative cd before any work on the starting directory is still reported',
      code: 'FROM golang:1.23\nRUN cd src && go test .',
      errors: [{ line: 2 }]
    },
    { name: 'heredoc', code: 'FROM alpine:3.20\nRUN <<EOF\nset -e\ncd /opt/app\n./configure\nEOF', errors: [{ line: 4, message: 'WORKDIR /opt/app' }] }
  ]
});
