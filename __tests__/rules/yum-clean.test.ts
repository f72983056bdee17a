import rule from '../../src/core/rules/yum-clean.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM centos:7\nRUN yum install -y httpd && yum clean all',
    {
      name: 'multi-line continuation',
      code: 'FROM rockylinux:9\nRUN dnf install -y \\\n      nginx \\\n      php \\\n && dnf clean all \\\n && rm -rf /var/cache/dnf'
    },
    { name: 'heredoc', code: 'FROM fedora:40\nRUN <<EOF\nset -e\ndnf install -y nginx\ndnf clean all\nEOF' },
    { name: 'rm -rf the cache', code: 'FROM fedora:40\nRUN dnf install -y nginx && rm -rf /var/cache/dnf/*' },
    { name: 'dnf5 cache removed', code: 'FROM fedora:41\nRUN dnf install -y nginx && rm -rf /var/cache/libdnf5' },
    { name: 'cache mount', code: 'FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y nginx' },
    { name: 'microdnf clean all', code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install -y nginx && microdnf clean all' },
    { name: 'clean by another front end', code: 'FROM rockylinux:8\nRUN yum install -y nginx && dnf clean all' },
    { name: 'builder stage that does not ship', code: 'FROM fedora:40 AS build\nRUN dnf install -y gcc\nFROM scratch\nCOPY --from=build /out /out' },
    { name: 'no install', code: 'FROM fedora:40\nRUN dnf list installed' }
  ],
  invalid: [
    { code: 'FROM centos:7\nRUN yum install -y httpd', errors: [{ line: 2, message: '`yum clean all`' }] },
    {
      name: 'multi-line continuation reports the install',
      code: 'FROM rockylinux:9\nRUN set -eux; \\\n    dnf install -y \\\n        nginx; \\\n    echo done',
      errors: [{ line: 3, message: '`dnf install`' }]
    },
    { name: 'heredoc', code: 'FROM fedora:40\nRUN <<EOF\ndnf install -y nginx\nEOF', errors: [{ line: 3 }] },
    { name: 'clean before the install', code: 'FROM fedora:40\nRUN dnf clean all && dnf install -y nginx', errors: [{ line: 2 }] },
    { name: 'clean packages is not clean all', code: 'FROM fedora:40\nRUN dnf install -y nginx && dnf clean packages', errors: [{ line: 2 }] },
    { name: 'clean in a later RUN', code: 'FROM centos:7\nRUN yum update -y\nRUN yum clean all', errors: [{ line: 2, message: '`yum update`' }] },
    { name: 'group install', code: 'FROM rockylinux:9\nRUN dnf group install -y "Development Tools"', errors: [{ message: '`dnf group install`' }] },
    { name: 'microdnf', code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install nginx', errors: [{ message: '`microdnf clean all`' }] }
  ]
});
