import rule from '../../src/core/rules/gem-pin-versions.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM ruby:3.3\nRUN gem install bundler:2.5.16',
    {
      name: '-v and --version',
      code: "FROM ruby:3.3\nRUN gem install bundler -v 2.5.16 && gem install rails --version '~> 7.1' && gem install puma --version=6.4.2"
    },
    { name: 'combined short flag with value', code: 'FROM ruby:3.3\nRUN gem install -Nv 2.5.16 bundler' },
    { name: 'several pinned gems', code: "FROM ruby:3.3\nRUN gem install --no-document rails:7.1.3 'puma:~>6.4'" },
    { name: 'gem files and paths', code: 'FROM ruby:3.3\nRUN gem install ./pkg/mygem-1.0.gem /tmp/other.gem' },
    { name: 'Gemfile', code: 'FROM ruby:3.3\nRUN gem install -g Gemfile' },
    { name: 'build options after --', code: 'FROM ruby:3.3\nRUN gem install nokogiri:1.16.7 -- --use-system-libraries' },
    { name: 'option values are not gems', code: 'FROM ruby:3.3\nRUN gem install -i /opt/gems -n /usr/local/bin --source https://rubygems.org rake:13.2.1' },
    { name: 'other gem commands', code: 'FROM ruby:3.3\nRUN gem update --system 3.5.16 && gem cleanup && gem uninstall foo' },
    { name: 'heredoc', code: 'FROM ruby:3.3\nRUN <<EOF\ngem install bundler:2.5.16\nEOF' },
    { name: 'variables', code: 'FROM ruby:3.3\nRUN gem install bundler -v "$BUNDLER_VERSION" && gem install "rails:$RAILS"' }
  ],
  invalid: [
    { code: 'FROM ruby:3.3\nRUN gem install bundler', errors: [{ line: 2, message: '`bundler:<version>`' }] },
    {
      name: 'multi-line continuation',
      code: 'FROM ruby:3.3\nRUN set -eux; \\\n    gem install --no-document \\\n        rails:7.1.3 \\\n        puma \\\n        sidekiq',
      errors: [{ line: 3, message: '`puma` and `sidekiq`' }]
    },
    { name: 'heredoc', code: 'FROM ruby:3.3\nRUN <<EOF\nset -e\ngem install bundler\nEOF', errors: [{ line: 4, message: 'gem install bundler -v <version>' }] },
    { name: 'gem i alias', code: 'FROM ruby:3.3\nRUN gem i rake', errors: [{ message: '`rake`' }] },
    {
      name: 'boolean flags do not swallow the gem (unlike hadolint)',
      code: 'FROM ruby:3.3\nRUN gem install --no-document rake',
      errors: [{ message: '`rake`' }]
    }
  ]
});
