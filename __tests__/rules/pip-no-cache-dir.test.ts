import rule from '../../src/core/rules/pip-no-cache-dir.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.3',
    { name: 'global option before install', code: 'FROM python:3.12\nRUN pip --no-cache-dir install flask==3.0.3' },
    { name: 'abbreviated --no-cache', code: 'FROM python:3.12\nRUN pip3 install --no-cache mqtt-io==0.4.0' },
    { name: 'ENV PIP_NO_CACHE_DIR', code: 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.3' },
    { name: 'ENV PIP_NO_CACHE_DIR=false also disables the cache', code: 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=false\nRUN pip install flask==3.0.3' },
    { name: 'ARG PIP_NO_CACHE_DIR', code: 'FROM python:3.12\nARG PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.3' },
    { name: 'ENV inherited from a parent stage', code: 'FROM python:3.12 AS base\nENV PIP_NO_CACHE_DIR=on\nFROM base\nRUN pip install flask==3.0.3' },
    { name: 'inline assignment', code: 'FROM python:3.12\nRUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.3' },
    { name: 'env wrapper', code: 'FROM python:3.12\nRUN env PIP_NO_CACHE_DIR=1 pip install flask==3.0.3' },
    { name: 'exported earlier in the RUN', code: 'FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=1 && pip install flask==3.0.3' },
    { name: 'cache mount', code: 'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask==3.0.3' },
    {
      name: 'cache mount on a custom --cache-dir',
      code: 'FROM python:3.12\nRUN --mount=type=cache,target=/pipcache pip install --cache-dir /pipcache flask==3.0.3'
    },
    { name: 'cache removed in the same RUN', code: 'FROM python:3.12\nRUN pip install flask==3.0.3 && rm -rf /root/.cache/pip' },
    { name: 'pip cache purge', code: 'FROM python:3.12\nRUN pip install flask==3.0.3 && pip cache purge' },
    {
      name: 'multi-line continuation',
      code: 'FROM python:3.12\nRUN set -eux; \\\n    python3 -m pip install \\\n        --no-cache-dir \\\n        flask==3.0.3'
    },
    { name: 'heredoc', code: 'FROM python:3.12\nRUN <<EOF\npip install --no-cache-dir flask==3.0.3\nEOF' },
    {
      name: 'builder stage that does not ship',
      code: 'FROM python:3.12 AS build\nRUN pip wheel -w /wheels . && pip install flask==3.0.3\nFROM python:3.12-slim\nCOPY --from=build /wheels /wheels'
    },
    { name: 'pipx is another tool', code: 'FROM python:3.12\nRUN pipx install black==24.4.2' }
  ],
  invalid: [
    { code: 'FROM python:3.12\nRUN pip install flask==3.0.3', errors: [{ line: 2, message: '`pip install --no-cache-dir`' }] },
    {
      name: 'multi-line continuation',
      code: 'FROM python:3.12\nRUN apt-get update \\\n && pip3 install \\\n      flask==3.0.3',
      errors: [{ line: 3, message: 'PIP_NO_CACHE_DIR' }]
    },
    { name: 'heredoc', code: 'FROM python:3.12\nRUN <<EOF\nset -e\npython -m pip install flask==3.0.3\nEOF', errors: [{ line: 4 }] },
    {
      name: 'ENV of another stage does not count',
      code: 'FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN pip install flask==3.0.3',
      errors: [{ line: 4 }]
    },
    { name: 'ENV set after the RUN does not count', code: 'FROM python:3.12\nRUN pip install flask==3.0.3\nENV PIP_NO_CACHE_DIR=1', errors: [{ line: 2 }] },
    { name: 'exported after the install', code: 'FROM python:3.12\nRUN pip install flask==3.0.3 && export PIP_NO_CACHE_DIR=1', errors: [{ line: 2 }] },
    { name: 'cleanup in a later RUN', code: 'FROM python:3.12\nRUN pip install flask==3.0.3\nRUN rm -rf /root/.cache/pip', errors: [{ line: 2 }] },
    {
      name: 'two installs in one RUN: one finding',
      code: 'FROM python:3.12\nRUN pip install -U pip==24.2 && pip install --no-cache-dir -r requirements.txt && pip install gunicorn==22.0.0',
      errors: [{ line: 2 }]
    },
    {
      name: 'all-stages',
      options: { 'all-stages': true },
      code: 'FROM python:3.12 AS build\nRUN pip install flask==3.0.3\nFROM scratch\nCOPY --from=build /x /x',
      errors: [{ line: 2 }]
    }
  ]
});
