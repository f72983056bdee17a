import rule from '../../src/core/rules/rpm-pin-versions.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM rockylinux:9\nRUN dnf install -y nginx-1.20.1 && dnf clean all',
    { name: 'version glob', code: 'FROM centos:7\nRUN yum install -y httpd-2.4*' },
    { name: 'local rpm, URL, group, variable', code: 'FROM fedora:40\nRUN dnf install -y ./x.rpm https://e.x/y.rpm @core $PKG' },
    { name: 'not an install', code: 'FROM fedora:40\nRUN dnf remove -y nginx && dnf update -y' },
    { name: 'ignore option', code: 'FROM fedora:40\nRUN dnf install -y ca-certificates', options: { ignore: ['ca-certificates'] } }
  ],
  invalid: [
    {
      code: 'FROM rockylinux:9\nRUN dnf install -y nginx && dnf clean all',
      errors: [{ line: 2, message: 'pin the version of `nginx` in dnf install: write `nginx-<version>`' }]
    },
    { name: 'yum, several', code: 'FROM centos:7\nRUN yum install -y httpd php-7.4.3 mod_ssl', errors: [{ line: 2, message: '`httpd`' }] },
    { name: 'microdnf on a continuation line', code: 'FROM ubi9/ubi-minimal\nRUN true && \\\n  microdnf install -y tar', errors: [{ line: 3 }] }
  ]
});
