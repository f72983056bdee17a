import rule from '../../src/core/rules/pip-pin-versions.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.3',
    {
      name: 'version specifiers',
      code: "FROM python:3.12\nRUN pip install 'requests>=2.31' 'urllib3<3' 'attrs~=23.2' 'six!=1.0' 'idna===3.7' 'Flask[async]==3.0.3'"
    },
    { name: 'requirements file', code: 'FROM python:3.12\nRUN pip install -r requirements.txt && pip install --requirement=dev.txt' },
    { name: 'constraints file pins', code: 'FROM python:3.12\nRUN pip install -c constraints.txt flask' },
    {
      name: 'local project and editable',
      code: 'FROM python:3.12\nRUN pip install . && pip install -e . && pip install --editable ./lib && pip install ./pkg'
    },
    {
      name: 'wheels, archives and URLs',
      code: 'FROM python:3.12\nRUN pip install /wheels/app-1.0-py3-none-any.whl app-1.0.tar.gz https://example.com/app-1.0.tar.gz'
    },
    {
      name: 'VCS with a ref',
      code: 'FROM python:3.12\nRUN pip install git+https://github.com/psf/requests.git@v2.31.0 git+ssh://git@github.com/org/repo.git@abc123#egg=repo'
    },
    { name: 'direct reference', code: 'FROM python:3.12\nRUN pip install "requests @ https://example.com/requests-2.31.0.tar.gz"' },
    {
      name: 'option values are not packages',
      code: 'FROM python:3.12\nRUN pip install --index-url https://pypi.example.com/simple --target /opt/x -i https://x flask==3.0.3'
    },
    { name: 'variables', code: 'FROM python:3.12\nRUN pip install "flask==$FLASK_VERSION" $PACKAGES' },
    { name: 'offline wheelhouse', code: 'FROM python:3.12\nRUN pip install --no-index --find-links=/wheels myapp' },
    { name: 'heredoc', code: 'FROM python:3.12\nRUN <<EOF\npip install --no-cache-dir flask==3.0.3\nEOF' },
    { name: 'pipx and pipenv are other tools', code: 'FROM python:3.12\nRUN pipx install black && pipenv install' },
    { name: 'ignored package', options: { ignore: ['pip', 'setuptools'] }, code: 'FROM python:3.12\nRUN pip install --upgrade pip setuptools' }
  ],
  invalid: [
    {
      name: 'several pip installs in one RUN: one finding',
      code: 'FROM python:3.12\nRUN pip install --no-cache-dir -U pip && pip install --no-cache-dir virtualenv && pip install --no-cache-dir requests==2.32.3',
      errors: [{ line: 2, message: 'pin the version of `pip` and `virtualenv` in pip install' }]
    },
    { code: 'FROM python:3.12\nRUN pip install flask', errors: [{ line: 2, message: '`flask==<version>`' }] },
    {
      name: 'multi-line continuation',
      code: 'FROM python:3.12\nRUN set -eux; \\\n    pip3 install --no-cache-dir \\\n        flask==3.0.3 \\\n        gunicorn \\\n        "uvicorn[standard]"',
      errors: [{ line: 3, message: '`gunicorn` and `uvicorn[standard]`' }]
    },
    { name: 'heredoc', code: 'FROM python:3.12\nRUN <<EOF\nset -e\npip install flask\nEOF', errors: [{ line: 4 }] },
    { name: 'python -m pip', code: 'FROM python:3.12\nRUN python3 -m pip install --user requests', errors: [{ message: '`requests`' }] },
    { name: '--upgrade pip (as hadolint)', code: 'FROM python:3.12\nRUN pip install --upgrade pip', errors: [{ message: '`pip==<version>`' }] },
    {
      name: 'packages next to a requirements file',
      code: 'FROM python:3.12\nRUN pip install -r requirements.txt gunicorn',
      errors: [{ message: '`gunicorn`' }]
    },
    { name: 'VCS without a ref', code: 'FROM python:3.12\nRUN pip install git+https://github.com/psf/requests.git', errors: [{ message: '@<tag or commit>' }] },
    {
      name: 'long extras are shortened',
      code: 'FROM python:3.12\nRUN pip install "glances[action,batinfo,browser,cpuinfo,docker,export]"',
      errors: [{ message: '`glances[...]==<version>`' }]
    },
    { name: 'versioned pip binary through sudo', code: 'FROM python:3.12\nRUN sudo -H pip3.12 install httpx', errors: [{ line: 2 }] }
  ]
});
