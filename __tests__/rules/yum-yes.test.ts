import rule from '../../src/core/rules/yum-yes.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM centos:7\nRUN yum install -y httpd && yum clean all',
    { name: '--assumeyes before the subcommand', code: 'FROM fedora:40\nRUN dnf --assumeyes install nginx' },
    { name: 'combined short flags', code: 'FROM fedora:40\nRUN dnf -qy install nginx' },
    { name: '--setopt=assumeyes=1', code: 'FROM fedora:40\nRUN dnf --setopt=assumeyes=1 install nginx' },
    { name: 'assumeyes in dnf.conf earlier', code: 'FROM fedora:40\nRUN echo "assumeyes=1" >> /etc/dnf/dnf.conf\nRUN dnf install nginx' },
    { name: 'microdnf never prompts', code: 'FROM registry.access.redhat.com/ubi9/ubi-minimal\nRUN microdnf install nginx' },
    { name: 'read-only subcommands', code: 'FROM fedora:40\nRUN dnf makecache && dnf list installed && dnf clean all && dnf module list' },
    { name: 'group install with -y', code: 'FROM rockylinux:9\nRUN dnf group install -y "Development Tools"' },
    { name: 'zypper --non-interactive', code: 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive install curl' },
    { name: 'zypper -n global', code: 'FROM opensuse/leap:15.6\nRUN zypper -n in curl' },
    { name: 'zypper -y after the command', code: 'FROM opensuse/leap:15.6\nRUN zypper install -y --no-recommends curl' },
    { name: 'heredoc', code: 'FROM fedora:40\nRUN <<EOF\ndnf install -y nginx\ndnf clean all\nEOF' },
    { name: 'yes piped in', code: 'FROM centos:7\nRUN yes | yum install httpd' }
  ],
  invalid: [
    { code: 'FROM centos:7\nRUN yum install httpd && yum clean all', errors: [{ line: 2, message: '`yum install -y`' }] },
    {
      name: 'multi-line continuation',
      code: 'FROM rockylinux:9\nRUN dnf update -y \\\n && dnf install \\\n      nginx \\\n && dnf clean all',
      errors: [{ line: 3, message: '`dnf install -y`' }]
    },
    { name: 'heredoc', code: 'FROM fedora:40\nRUN <<EOF\nset -e\ndnf install nginx\nEOF', errors: [{ line: 4 }] },
    { name: 'group install', code: 'FROM rockylinux:9\nRUN dnf group install "Development Tools"', errors: [{ message: '`dnf group install -y`' }] },
    { name: 'module enable', code: 'FROM rockylinux:8\nRUN dnf module enable nodejs:20', errors: [{ message: '`dnf module enable -y`' }] },
    { name: 'yum remove', code: 'FROM centos:7\nRUN yum remove httpd', errors: [{ message: '`yum remove -y`' }] },
    { name: 'zypper install', code: 'FROM opensuse/leap:15.6\nRUN zypper install curl', errors: [{ message: '`zypper --non-interactive install`' }] },
    { name: 'zypper -n after the command is --name', code: 'FROM opensuse/leap:15.6\nRUN zypper install -n curl', errors: [{ line: 2 }] }
  ]
});
