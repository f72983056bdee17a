#!/usr/bin/env node
import { createRequire as __cgCreateRequire } from 'node:module'; const require = __cgCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// node_modules/ajv/dist/compile/codegen/code.js
var require_code = __commonJS({
  "node_modules/ajv/dist/compile/codegen/code.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.regexpCode = exports.getEsmExportName = exports.getProperty = exports.safeStringify = exports.stringify = exports.strConcat = exports.addCodeArg = exports.str = exports._ = exports.nil = exports._Code = exports.Name = exports.IDENTIFIER = exports._CodeOrName = void 0;
    var _CodeOrName = class {
    };
    exports._CodeOrName = _CodeOrName;
    exports.IDENTIFIER = /^[a-z$_][a-z$_0-9]*$/i;
    var Name = class extends _CodeOrName {
      constructor(s) {
        super();
        if (!exports.IDENTIFIER.test(s))
          throw new Error("CodeGen: name must be a valid identifier");
        this.str = s;
      }
      toString() {
        return this.str;
      }
      emptyStr() {
        return false;
      }
      get names() {
        return { [this.str]: 1 };
      }
    };
    exports.Name = Name;
    var _Code = class extends _CodeOrName {
      constructor(code) {
        super();
        this._items = typeof code === "string" ? [code] : code;
      }
      toString() {
        return this.str;
      }
      emptyStr() {
        if (this._items.length > 1)
          return false;
        const item = this._items[0];
        return item === "" || item === '""';
      }
      get str() {
        var _a;
        return (_a = this._str) !== null && _a !== void 0 ? _a : this._str = this._items.reduce((s, c) => `${s}${c}`, "");
      }
      get names() {
        var _a;
        return (_a = this._names) !== null && _a !== void 0 ? _a : this._names = this._items.reduce((names, c) => {
          if (c instanceof Name)
            names[c.str] = (names[c.str] || 0) + 1;
          return names;
        }, {});
      }
    };
    exports._Code = _Code;
    exports.nil = new _Code("");
    function _(strs, ...args2) {
      const code = [strs[0]];
      let i2 = 0;
      while (i2 < args2.length) {
        addCodeArg(code, args2[i2]);
        code.push(strs[++i2]);
      }
      return new _Code(code);
    }
    exports._ = _;
    var plus = new _Code("+");
    function str(strs, ...args2) {
      const expr = [safeStringify(strs[0])];
      let i2 = 0;
      while (i2 < args2.length) {
        expr.push(plus);
        addCodeArg(expr, args2[i2]);
        expr.push(plus, safeStringify(strs[++i2]));
      }
      optimize(expr);
      return new _Code(expr);
    }
    exports.str = str;
    function addCodeArg(code, arg) {
      if (arg instanceof _Code)
        code.push(...arg._items);
      else if (arg instanceof Name)
        code.push(arg);
      else
        code.push(interpolate(arg));
    }
    exports.addCodeArg = addCodeArg;
    function optimize(expr) {
      let i2 = 1;
      while (i2 < expr.length - 1) {
        if (expr[i2] === plus) {
          const res = mergeExprItems(expr[i2 - 1], expr[i2 + 1]);
          if (res !== void 0) {
            expr.splice(i2 - 1, 3, res);
            continue;
          }
          expr[i2++] = "+";
        }
        i2++;
      }
    }
    function mergeExprItems(a, b) {
      if (b === '""')
        return a;
      if (a === '""')
        return b;
      if (typeof a == "string") {
        if (b instanceof Name || a[a.length - 1] !== '"')
          return;
        if (typeof b != "string")
          return `${a.slice(0, -1)}${b}"`;
        if (b[0] === '"')
          return a.slice(0, -1) + b.slice(1);
        return;
      }
      if (typeof b == "string" && b[0] === '"' && !(a instanceof Name))
        return `"${a}${b.slice(1)}`;
      return;
    }
    function strConcat(c1, c2) {
      return c2.emptyStr() ? c1 : c1.emptyStr() ? c2 : str`${c1}${c2}`;
    }
    exports.strConcat = strConcat;
    function interpolate(x) {
      return typeof x == "number" || typeof x == "boolean" || x === null ? x : safeStringify(Array.isArray(x) ? x.join(",") : x);
    }
    function stringify(x) {
      return new _Code(safeStringify(x));
    }
    exports.stringify = stringify;
    function safeStringify(x) {
      return JSON.stringify(x).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
    }
    exports.safeStringify = safeStringify;
    function getProperty(key) {
      return typeof key == "string" && exports.IDENTIFIER.test(key) ? new _Code(`.${key}`) : _`[${key}]`;
    }
    exports.getProperty = getProperty;
    function getEsmExportName(key) {
      if (typeof key == "string" && exports.IDENTIFIER.test(key)) {
        return new _Code(`${key}`);
      }
      throw new Error(`CodeGen: invalid export name: ${key}, use explicit $id name mapping`);
    }
    exports.getEsmExportName = getEsmExportName;
    function regexpCode(rx) {
      return new _Code(rx.toString());
    }
    exports.regexpCode = regexpCode;
  }
});

// node_modules/ajv/dist/compile/codegen/scope.js
var require_scope = __commonJS({
  "node_modules/ajv/dist/compile/codegen/scope.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ValueScope = exports.ValueScopeName = exports.Scope = exports.varKinds = exports.UsedValueState = void 0;
    var code_1 = require_code();
    var ValueError = class extends Error {
      constructor(name2) {
        super(`CodeGen: "code" for ${name2} not defined`);
        this.value = name2.value;
      }
    };
    var UsedValueState;
    (function(UsedValueState2) {
      UsedValueState2[UsedValueState2["Started"] = 0] = "Started";
      UsedValueState2[UsedValueState2["Completed"] = 1] = "Completed";
    })(UsedValueState || (exports.UsedValueState = UsedValueState = {}));
    exports.varKinds = {
      const: new code_1.Name("const"),
      let: new code_1.Name("let"),
      var: new code_1.Name("var")
    };
    var Scope = class {
      constructor({ prefixes, parent } = {}) {
        this._names = {};
        this._prefixes = prefixes;
        this._parent = parent;
      }
      toName(nameOrPrefix) {
        return nameOrPrefix instanceof code_1.Name ? nameOrPrefix : this.name(nameOrPrefix);
      }
      name(prefix2) {
        return new code_1.Name(this._newName(prefix2));
      }
      _newName(prefix2) {
        const ng = this._names[prefix2] || this._nameGroup(prefix2);
        return `${prefix2}${ng.index++}`;
      }
      _nameGroup(prefix2) {
        var _a, _b;
        if (((_b = (_a = this._parent) === null || _a === void 0 ? void 0 : _a._prefixes) === null || _b === void 0 ? void 0 : _b.has(prefix2)) || this._prefixes && !this._prefixes.has(prefix2)) {
          throw new Error(`CodeGen: prefix "${prefix2}" is not allowed in this scope`);
        }
        return this._names[prefix2] = { prefix: prefix2, index: 0 };
      }
    };
    exports.Scope = Scope;
    var ValueScopeName = class extends code_1.Name {
      constructor(prefix2, nameStr) {
        super(nameStr);
        this.prefix = prefix2;
      }
      setValue(value, { property, itemIndex }) {
        this.value = value;
        this.scopePath = (0, code_1._)`.${new code_1.Name(property)}[${itemIndex}]`;
      }
    };
    exports.ValueScopeName = ValueScopeName;
    var line = (0, code_1._)`\n`;
    var ValueScope = class extends Scope {
      constructor(opts2) {
        super(opts2);
        this._values = {};
        this._scope = opts2.scope;
        this.opts = { ...opts2, _n: opts2.lines ? line : code_1.nil };
      }
      get() {
        return this._scope;
      }
      name(prefix2) {
        return new ValueScopeName(prefix2, this._newName(prefix2));
      }
      value(nameOrPrefix, value) {
        var _a;
        if (value.ref === void 0)
          throw new Error("CodeGen: ref must be passed in value");
        const name2 = this.toName(nameOrPrefix);
        const { prefix: prefix2 } = name2;
        const valueKey = (_a = value.key) !== null && _a !== void 0 ? _a : value.ref;
        let vs = this._values[prefix2];
        if (vs) {
          const _name = vs.get(valueKey);
          if (_name)
            return _name;
        } else {
          vs = this._values[prefix2] = /* @__PURE__ */ new Map();
        }
        vs.set(valueKey, name2);
        const s = this._scope[prefix2] || (this._scope[prefix2] = []);
        const itemIndex = s.length;
        s[itemIndex] = value.ref;
        name2.setValue(value, { property: prefix2, itemIndex });
        return name2;
      }
      getValue(prefix2, keyOrRef) {
        const vs = this._values[prefix2];
        if (!vs)
          return;
        return vs.get(keyOrRef);
      }
      scopeRefs(scopeName, values = this._values) {
        return this._reduceValues(values, (name2) => {
          if (name2.scopePath === void 0)
            throw new Error(`CodeGen: name "${name2}" has no value`);
          return (0, code_1._)`${scopeName}${name2.scopePath}`;
        });
      }
      scopeCode(values = this._values, usedValues, getCode) {
        return this._reduceValues(values, (name2) => {
          if (name2.value === void 0)
            throw new Error(`CodeGen: name "${name2}" has no value`);
          return name2.value.code;
        }, usedValues, getCode);
      }
      _reduceValues(values, valueCode, usedValues = {}, getCode) {
        let code = code_1.nil;
        for (const prefix2 in values) {
          const vs = values[prefix2];
          if (!vs)
            continue;
          const nameSet = usedValues[prefix2] = usedValues[prefix2] || /* @__PURE__ */ new Map();
          vs.forEach((name2) => {
            if (nameSet.has(name2))
              return;
            nameSet.set(name2, UsedValueState.Started);
            let c = valueCode(name2);
            if (c) {
              const def = this.opts.es5 ? exports.varKinds.var : exports.varKinds.const;
              code = (0, code_1._)`${code}${def} ${name2} = ${c};${this.opts._n}`;
            } else if (c = getCode === null || getCode === void 0 ? void 0 : getCode(name2)) {
              code = (0, code_1._)`${code}${c}${this.opts._n}`;
            } else {
              throw new ValueError(name2);
            }
            nameSet.set(name2, UsedValueState.Completed);
          });
        }
        return code;
      }
    };
    exports.ValueScope = ValueScope;
  }
});

// node_modules/ajv/dist/compile/codegen/index.js
var require_codegen = __commonJS({
  "node_modules/ajv/dist/compile/codegen/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.or = exports.and = exports.not = exports.CodeGen = exports.operators = exports.varKinds = exports.ValueScopeName = exports.ValueScope = exports.Scope = exports.Name = exports.regexpCode = exports.stringify = exports.getProperty = exports.nil = exports.strConcat = exports.str = exports._ = void 0;
    var code_1 = require_code();
    var scope_1 = require_scope();
    var code_2 = require_code();
    Object.defineProperty(exports, "_", { enumerable: true, get: function() {
      return code_2._;
    } });
    Object.defineProperty(exports, "str", { enumerable: true, get: function() {
      return code_2.str;
    } });
    Object.defineProperty(exports, "strConcat", { enumerable: true, get: function() {
      return code_2.strConcat;
    } });
    Object.defineProperty(exports, "nil", { enumerable: true, get: function() {
      return code_2.nil;
    } });
    Object.defineProperty(exports, "getProperty", { enumerable: true, get: function() {
      return code_2.getProperty;
    } });
    Object.defineProperty(exports, "stringify", { enumerable: true, get: function() {
      return code_2.stringify;
    } });
    Object.defineProperty(exports, "regexpCode", { enumerable: true, get: function() {
      return code_2.regexpCode;
    } });
    Object.defineProperty(exports, "Name", { enumerable: true, get: function() {
      return code_2.Name;
    } });
    var scope_2 = require_scope();
    Object.defineProperty(exports, "Scope", { enumerable: true, get: function() {
      return scope_2.Scope;
    } });
    Object.defineProperty(exports, "ValueScope", { enumerable: true, get: function() {
      return scope_2.ValueScope;
    } });
    Object.defineProperty(exports, "ValueScopeName", { enumerable: true, get: function() {
      return scope_2.ValueScopeName;
    } });
    Object.defineProperty(exports, "varKinds", { enumerable: true, get: function() {
      return scope_2.varKinds;
    } });
    exports.operators = {
      GT: new code_1._Code(">"),
      GTE: new code_1._Code(">="),
      LT: new code_1._Code("<"),
      LTE: new code_1._Code("<="),
      EQ: new code_1._Code("==="),
      NEQ: new code_1._Code("!=="),
      NOT: new code_1._Code("!"),
      OR: new code_1._Code("||"),
      AND: new code_1._Code("&&"),
      ADD: new code_1._Code("+")
    };
    var Node2 = class {
      optimizeNodes() {
        return this;
      }
      optimizeNames(_names, _constants) {
        return this;
      }
    };
    var Def = class extends Node2 {
      constructor(varKind, name2, rhs) {
        super();
        this.varKind = varKind;
        this.name = name2;
        this.rhs = rhs;
      }
      render({ es5, _n }) {
        const varKind = es5 ? scope_1.varKinds.var : this.varKind;
        const rhs = this.rhs === void 0 ? "" : ` = ${this.rhs}`;
        return `${varKind} ${this.name}${rhs};` + _n;
      }
      optimizeNames(names, constants2) {
        if (!names[this.name.str])
          return;
        if (this.rhs)
          this.rhs = optimizeExpr(this.rhs, names, constants2);
        return this;
      }
      get names() {
        return this.rhs instanceof code_1._CodeOrName ? this.rhs.names : {};
      }
    };
    var Assign = class extends Node2 {
      constructor(lhs, rhs, sideEffects) {
        super();
        this.lhs = lhs;
        this.rhs = rhs;
        this.sideEffects = sideEffects;
      }
      render({ _n }) {
        return `${this.lhs} = ${this.rhs};` + _n;
      }
      optimizeNames(names, constants2) {
        if (this.lhs instanceof code_1.Name && !names[this.lhs.str] && !this.sideEffects)
          return;
        this.rhs = optimizeExpr(this.rhs, names, constants2);
        return this;
      }
      get names() {
        const names = this.lhs instanceof code_1.Name ? {} : { ...this.lhs.names };
        return addExprNames(names, this.rhs);
      }
    };
    var AssignOp = class extends Assign {
      constructor(lhs, op, rhs, sideEffects) {
        super(lhs, rhs, sideEffects);
        this.op = op;
      }
      render({ _n }) {
        return `${this.lhs} ${this.op}= ${this.rhs};` + _n;
      }
    };
    var Label = class extends Node2 {
      constructor(label) {
        super();
        this.label = label;
        this.names = {};
      }
      render({ _n }) {
        return `${this.label}:` + _n;
      }
    };
    var Break = class extends Node2 {
      constructor(label) {
        super();
        this.label = label;
        this.names = {};
      }
      render({ _n }) {
        const label = this.label ? ` ${this.label}` : "";
        return `break${label};` + _n;
      }
    };
    var Throw = class extends Node2 {
      constructor(error) {
        super();
        this.error = error;
      }
      render({ _n }) {
        return `throw ${this.error};` + _n;
      }
      get names() {
        return this.error.names;
      }
    };
    var AnyCode = class extends Node2 {
      constructor(code) {
        super();
        this.code = code;
      }
      render({ _n }) {
        return `${this.code};` + _n;
      }
      optimizeNodes() {
        return `${this.code}` ? this : void 0;
      }
      optimizeNames(names, constants2) {
        this.code = optimizeExpr(this.code, names, constants2);
        return this;
      }
      get names() {
        return this.code instanceof code_1._CodeOrName ? this.code.names : {};
      }
    };
    var ParentNode = class extends Node2 {
      constructor(nodes = []) {
        super();
        this.nodes = nodes;
      }
      render(opts2) {
        return this.nodes.reduce((code, n) => code + n.render(opts2), "");
      }
      optimizeNodes() {
        const { nodes } = this;
        let i2 = nodes.length;
        while (i2--) {
          const n = nodes[i2].optimizeNodes();
          if (Array.isArray(n))
            nodes.splice(i2, 1, ...n);
          else if (n)
            nodes[i2] = n;
          else
            nodes.splice(i2, 1);
        }
        return nodes.length > 0 ? this : void 0;
      }
      optimizeNames(names, constants2) {
        const { nodes } = this;
        let i2 = nodes.length;
        while (i2--) {
          const n = nodes[i2];
          if (n.optimizeNames(names, constants2))
            continue;
          subtractNames(names, n.names);
          nodes.splice(i2, 1);
        }
        return nodes.length > 0 ? this : void 0;
      }
      get names() {
        return this.nodes.reduce((names, n) => addNames(names, n.names), {});
      }
    };
    var BlockNode = class extends ParentNode {
      render(opts2) {
        return "{" + opts2._n + super.render(opts2) + "}" + opts2._n;
      }
    };
    var Root = class extends ParentNode {
    };
    var Else = class extends BlockNode {
    };
    Else.kind = "else";
    var If = class _If extends BlockNode {
      constructor(condition, nodes) {
        super(nodes);
        this.condition = condition;
      }
      render(opts2) {
        let code = `if(${this.condition})` + super.render(opts2);
        if (this.else)
          code += "else " + this.else.render(opts2);
        return code;
      }
      optimizeNodes() {
        super.optimizeNodes();
        const cond = this.condition;
        if (cond === true)
          return this.nodes;
        let e = this.else;
        if (e) {
          const ns = e.optimizeNodes();
          e = this.else = Array.isArray(ns) ? new Else(ns) : ns;
        }
        if (e) {
          if (cond === false)
            return e instanceof _If ? e : e.nodes;
          if (this.nodes.length)
            return this;
          return new _If(not(cond), e instanceof _If ? [e] : e.nodes);
        }
        if (cond === false || !this.nodes.length)
          return void 0;
        return this;
      }
      optimizeNames(names, constants2) {
        var _a;
        this.else = (_a = this.else) === null || _a === void 0 ? void 0 : _a.optimizeNames(names, constants2);
        if (!(super.optimizeNames(names, constants2) || this.else))
          return;
        this.condition = optimizeExpr(this.condition, names, constants2);
        return this;
      }
      get names() {
        const names = super.names;
        addExprNames(names, this.condition);
        if (this.else)
          addNames(names, this.else.names);
        return names;
      }
    };
    If.kind = "if";
    var For = class extends BlockNode {
    };
    For.kind = "for";
    var ForLoop = class extends For {
      constructor(iteration) {
        super();
        this.iteration = iteration;
      }
      render(opts2) {
        return `for(${this.iteration})` + super.render(opts2);
      }
      optimizeNames(names, constants2) {
        if (!super.optimizeNames(names, constants2))
          return;
        this.iteration = optimizeExpr(this.iteration, names, constants2);
        return this;
      }
      get names() {
        return addNames(super.names, this.iteration.names);
      }
    };
    var ForRange = class extends For {
      constructor(varKind, name2, from, to) {
        super();
        this.varKind = varKind;
        this.name = name2;
        this.from = from;
        this.to = to;
      }
      render(opts2) {
        const varKind = opts2.es5 ? scope_1.varKinds.var : this.varKind;
        const { name: name2, from, to } = this;
        return `for(${varKind} ${name2}=${from}; ${name2}<${to}; ${name2}++)` + super.render(opts2);
      }
      get names() {
        const names = addExprNames(super.names, this.from);
        return addExprNames(names, this.to);
      }
    };
    var ForIter = class extends For {
      constructor(loop, varKind, name2, iterable) {
        super();
        this.loop = loop;
        this.varKind = varKind;
        this.name = name2;
        this.iterable = iterable;
      }
      render(opts2) {
        return `for(${this.varKind} ${this.name} ${this.loop} ${this.iterable})` + super.render(opts2);
      }
      optimizeNames(names, constants2) {
        if (!super.optimizeNames(names, constants2))
          return;
        this.iterable = optimizeExpr(this.iterable, names, constants2);
        return this;
      }
      get names() {
        return addNames(super.names, this.iterable.names);
      }
    };
    var Func = class extends BlockNode {
      constructor(name2, args2, async) {
        super();
        this.name = name2;
        this.args = args2;
        this.async = async;
      }
      render(opts2) {
        const _async = this.async ? "async " : "";
        return `${_async}function ${this.name}(${this.args})` + super.render(opts2);
      }
    };
    Func.kind = "func";
    var Return = class extends ParentNode {
      render(opts2) {
        return "return " + super.render(opts2);
      }
    };
    Return.kind = "return";
    var Try = class extends BlockNode {
      render(opts2) {
        let code = "try" + super.render(opts2);
        if (this.catch)
          code += this.catch.render(opts2);
        if (this.finally)
          code += this.finally.render(opts2);
        return code;
      }
      optimizeNodes() {
        var _a, _b;
        super.optimizeNodes();
        (_a = this.catch) === null || _a === void 0 ? void 0 : _a.optimizeNodes();
        (_b = this.finally) === null || _b === void 0 ? void 0 : _b.optimizeNodes();
        return this;
      }
      optimizeNames(names, constants2) {
        var _a, _b;
        super.optimizeNames(names, constants2);
        (_a = this.catch) === null || _a === void 0 ? void 0 : _a.optimizeNames(names, constants2);
        (_b = this.finally) === null || _b === void 0 ? void 0 : _b.optimizeNames(names, constants2);
        return this;
      }
      get names() {
        const names = super.names;
        if (this.catch)
          addNames(names, this.catch.names);
        if (this.finally)
          addNames(names, this.finally.names);
        return names;
      }
    };
    var Catch = class extends BlockNode {
      constructor(error) {
        super();
        this.error = error;
      }
      render(opts2) {
        return `catch(${this.error})` + super.render(opts2);
      }
    };
    Catch.kind = "catch";
    var Finally = class extends BlockNode {
      render(opts2) {
        return "finally" + super.render(opts2);
      }
    };
    Finally.kind = "finally";
    var CodeGen = class {
      constructor(extScope, opts2 = {}) {
        this._values = {};
        this._blockStarts = [];
        this._constants = {};
        this.opts = { ...opts2, _n: opts2.lines ? "\n" : "" };
        this._extScope = extScope;
        this._scope = new scope_1.Scope({ parent: extScope });
        this._nodes = [new Root()];
      }
      toString() {
        return this._root.render(this.opts);
      }
      // returns unique name in the internal scope
      name(prefix2) {
        return this._scope.name(prefix2);
      }
      // reserves unique name in the external scope
      scopeName(prefix2) {
        return this._extScope.name(prefix2);
      }
      // reserves unique name in the external scope and assigns value to it
      scopeValue(prefixOrName, value) {
        const name2 = this._extScope.value(prefixOrName, value);
        const vs = this._values[name2.prefix] || (this._values[name2.prefix] = /* @__PURE__ */ new Set());
        vs.add(name2);
        return name2;
      }
      getScopeValue(prefix2, keyOrRef) {
        return this._extScope.getValue(prefix2, keyOrRef);
      }
      // return code that assigns values in the external scope to the names that are used internally
      // (same names that were returned by gen.scopeName or gen.scopeValue)
      scopeRefs(scopeName) {
        return this._extScope.scopeRefs(scopeName, this._values);
      }
      scopeCode() {
        return this._extScope.scopeCode(this._values);
      }
      _def(varKind, nameOrPrefix, rhs, constant) {
        const name2 = this._scope.toName(nameOrPrefix);
        if (rhs !== void 0 && constant)
          this._constants[name2.str] = rhs;
        this._leafNode(new Def(varKind, name2, rhs));
        return name2;
      }
      // `const` declaration (`var` in es5 mode)
      const(nameOrPrefix, rhs, _constant) {
        return this._def(scope_1.varKinds.const, nameOrPrefix, rhs, _constant);
      }
      // `let` declaration with optional assignment (`var` in es5 mode)
      let(nameOrPrefix, rhs, _constant) {
        return this._def(scope_1.varKinds.let, nameOrPrefix, rhs, _constant);
      }
      // `var` declaration with optional assignment
      var(nameOrPrefix, rhs, _constant) {
        return this._def(scope_1.varKinds.var, nameOrPrefix, rhs, _constant);
      }
      // assignment code
      assign(lhs, rhs, sideEffects) {
        return this._leafNode(new Assign(lhs, rhs, sideEffects));
      }
      // `+=` code
      add(lhs, rhs) {
        return this._leafNode(new AssignOp(lhs, exports.operators.ADD, rhs));
      }
      // appends passed SafeExpr to code or executes Block
      code(c) {
        if (typeof c == "function")
          c();
        else if (c !== code_1.nil)
          this._leafNode(new AnyCode(c));
        return this;
      }
      // returns code for object literal for the passed argument list of key-value pairs
      object(...keyValues) {
        const code = ["{"];
        for (const [key, value] of keyValues) {
          if (code.length > 1)
            code.push(",");
          code.push(key);
          if (key !== value || this.opts.es5) {
            code.push(":");
            (0, code_1.addCodeArg)(code, value);
          }
        }
        code.push("}");
        return new code_1._Code(code);
      }
      // `if` clause (or statement if `thenBody` and, optionally, `elseBody` are passed)
      if(condition, thenBody, elseBody) {
        this._blockNode(new If(condition));
        if (thenBody && elseBody) {
          this.code(thenBody).else().code(elseBody).endIf();
        } else if (thenBody) {
          this.code(thenBody).endIf();
        } else if (elseBody) {
          throw new Error('CodeGen: "else" body without "then" body');
        }
        return this;
      }
      // `else if` clause - invalid without `if` or after `else` clauses
      elseIf(condition) {
        return this._elseNode(new If(condition));
      }
      // `else` clause - only valid after `if` or `else if` clauses
      else() {
        return this._elseNode(new Else());
      }
      // end `if` statement (needed if gen.if was used only with condition)
      endIf() {
        return this._endBlockNode(If, Else);
      }
      _for(node, forBody) {
        this._blockNode(node);
        if (forBody)
          this.code(forBody).endFor();
        return this;
      }
      // a generic `for` clause (or statement if `forBody` is passed)
      for(iteration, forBody) {
        return this._for(new ForLoop(iteration), forBody);
      }
      // `for` statement for a range of values
      forRange(nameOrPrefix, from, to, forBody, varKind = this.opts.es5 ? scope_1.varKinds.var : scope_1.varKinds.let) {
        const name2 = this._scope.toName(nameOrPrefix);
        return this._for(new ForRange(varKind, name2, from, to), () => forBody(name2));
      }
      // `for-of` statement (in es5 mode replace with a normal for loop)
      forOf(nameOrPrefix, iterable, forBody, varKind = scope_1.varKinds.const) {
        const name2 = this._scope.toName(nameOrPrefix);
        if (this.opts.es5) {
          const arr = iterable instanceof code_1.Name ? iterable : this.var("_arr", iterable);
          return this.forRange("_i", 0, (0, code_1._)`${arr}.length`, (i2) => {
            this.var(name2, (0, code_1._)`${arr}[${i2}]`);
            forBody(name2);
          });
        }
        return this._for(new ForIter("of", varKind, name2, iterable), () => forBody(name2));
      }
      // `for-in` statement.
      // With option `ownProperties` replaced with a `for-of` loop for object keys
      forIn(nameOrPrefix, obj, forBody, varKind = this.opts.es5 ? scope_1.varKinds.var : scope_1.varKinds.const) {
        if (this.opts.ownProperties) {
          return this.forOf(nameOrPrefix, (0, code_1._)`Object.keys(${obj})`, forBody);
        }
        const name2 = this._scope.toName(nameOrPrefix);
        return this._for(new ForIter("in", varKind, name2, obj), () => forBody(name2));
      }
      // end `for` loop
      endFor() {
        return this._endBlockNode(For);
      }
      // `label` statement
      label(label) {
        return this._leafNode(new Label(label));
      }
      // `break` statement
      break(label) {
        return this._leafNode(new Break(label));
      }
      // `return` statement
      return(value) {
        const node = new Return();
        this._blockNode(node);
        this.code(value);
        if (node.nodes.length !== 1)
          throw new Error('CodeGen: "return" should have one node');
        return this._endBlockNode(Return);
      }
      // `try` statement
      try(tryBody, catchCode, finallyCode) {
        if (!catchCode && !finallyCode)
          throw new Error('CodeGen: "try" without "catch" and "finally"');
        const node = new Try();
        this._blockNode(node);
        this.code(tryBody);
        if (catchCode) {
          const error = this.name("e");
          this._currNode = node.catch = new Catch(error);
          catchCode(error);
        }
        if (finallyCode) {
          this._currNode = node.finally = new Finally();
          this.code(finallyCode);
        }
        return this._endBlockNode(Catch, Finally);
      }
      // `throw` statement
      throw(error) {
        return this._leafNode(new Throw(error));
      }
      // start self-balancing block
      block(body2, nodeCount) {
        this._blockStarts.push(this._nodes.length);
        if (body2)
          this.code(body2).endBlock(nodeCount);
        return this;
      }
      // end the current self-balancing block
      endBlock(nodeCount) {
        const len = this._blockStarts.pop();
        if (len === void 0)
          throw new Error("CodeGen: not in self-balancing block");
        const toClose = this._nodes.length - len;
        if (toClose < 0 || nodeCount !== void 0 && toClose !== nodeCount) {
          throw new Error(`CodeGen: wrong number of nodes: ${toClose} vs ${nodeCount} expected`);
        }
        this._nodes.length = len;
        return this;
      }
      // `function` heading (or definition if funcBody is passed)
      func(name2, args2 = code_1.nil, async, funcBody) {
        this._blockNode(new Func(name2, args2, async));
        if (funcBody)
          this.code(funcBody).endFunc();
        return this;
      }
      // end function definition
      endFunc() {
        return this._endBlockNode(Func);
      }
      optimize(n = 1) {
        while (n-- > 0) {
          this._root.optimizeNodes();
          this._root.optimizeNames(this._root.names, this._constants);
        }
      }
      _leafNode(node) {
        this._currNode.nodes.push(node);
        return this;
      }
      _blockNode(node) {
        this._currNode.nodes.push(node);
        this._nodes.push(node);
      }
      _endBlockNode(N1, N2) {
        const n = this._currNode;
        if (n instanceof N1 || N2 && n instanceof N2) {
          this._nodes.pop();
          return this;
        }
        throw new Error(`CodeGen: not in block "${N2 ? `${N1.kind}/${N2.kind}` : N1.kind}"`);
      }
      _elseNode(node) {
        const n = this._currNode;
        if (!(n instanceof If)) {
          throw new Error('CodeGen: "else" without "if"');
        }
        this._currNode = n.else = node;
        return this;
      }
      get _root() {
        return this._nodes[0];
      }
      get _currNode() {
        const ns = this._nodes;
        return ns[ns.length - 1];
      }
      set _currNode(node) {
        const ns = this._nodes;
        ns[ns.length - 1] = node;
      }
    };
    exports.CodeGen = CodeGen;
    function addNames(names, from) {
      for (const n in from)
        names[n] = (names[n] || 0) + (from[n] || 0);
      return names;
    }
    function addExprNames(names, from) {
      return from instanceof code_1._CodeOrName ? addNames(names, from.names) : names;
    }
    function optimizeExpr(expr, names, constants2) {
      if (expr instanceof code_1.Name)
        return replaceName(expr);
      if (!canOptimize(expr))
        return expr;
      return new code_1._Code(expr._items.reduce((items, c) => {
        if (c instanceof code_1.Name)
          c = replaceName(c);
        if (c instanceof code_1._Code)
          items.push(...c._items);
        else
          items.push(c);
        return items;
      }, []));
      function replaceName(n) {
        const c = constants2[n.str];
        if (c === void 0 || names[n.str] !== 1)
          return n;
        delete names[n.str];
        return c;
      }
      function canOptimize(e) {
        return e instanceof code_1._Code && e._items.some((c) => c instanceof code_1.Name && names[c.str] === 1 && constants2[c.str] !== void 0);
      }
    }
    function subtractNames(names, from) {
      for (const n in from)
        names[n] = (names[n] || 0) - (from[n] || 0);
    }
    function not(x) {
      return typeof x == "boolean" || typeof x == "number" || x === null ? !x : (0, code_1._)`!${par(x)}`;
    }
    exports.not = not;
    var andCode = mappend(exports.operators.AND);
    function and(...args2) {
      return args2.reduce(andCode);
    }
    exports.and = and;
    var orCode = mappend(exports.operators.OR);
    function or(...args2) {
      return args2.reduce(orCode);
    }
    exports.or = or;
    function mappend(op) {
      return (x, y) => x === code_1.nil ? y : y === code_1.nil ? x : (0, code_1._)`${par(x)} ${op} ${par(y)}`;
    }
    function par(x) {
      return x instanceof code_1.Name ? x : (0, code_1._)`(${x})`;
    }
  }
});

// node_modules/ajv/dist/compile/util.js
var require_util = __commonJS({
  "node_modules/ajv/dist/compile/util.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.checkStrictMode = exports.getErrorPath = exports.Type = exports.useFunc = exports.setEvaluated = exports.evaluatedPropsToName = exports.mergeEvaluated = exports.eachItem = exports.unescapeJsonPointer = exports.escapeJsonPointer = exports.escapeFragment = exports.unescapeFragment = exports.schemaRefOrVal = exports.schemaHasRulesButRef = exports.schemaHasRules = exports.checkUnknownRules = exports.alwaysValidSchema = exports.toHash = void 0;
    var codegen_1 = require_codegen();
    var code_1 = require_code();
    function toHash(arr) {
      const hash = {};
      for (const item of arr)
        hash[item] = true;
      return hash;
    }
    exports.toHash = toHash;
    function alwaysValidSchema(it, schema) {
      if (typeof schema == "boolean")
        return schema;
      if (Object.keys(schema).length === 0)
        return true;
      checkUnknownRules(it, schema);
      return !schemaHasRules(schema, it.self.RULES.all);
    }
    exports.alwaysValidSchema = alwaysValidSchema;
    function checkUnknownRules(it, schema = it.schema) {
      const { opts: opts2, self: self2 } = it;
      if (!opts2.strictSchema)
        return;
      if (typeof schema === "boolean")
        return;
      const rules2 = self2.RULES.keywords;
      for (const key in schema) {
        if (!rules2[key])
          checkStrictMode(it, `unknown keyword: "${key}"`);
      }
    }
    exports.checkUnknownRules = checkUnknownRules;
    function schemaHasRules(schema, rules2) {
      if (typeof schema == "boolean")
        return !schema;
      for (const key in schema)
        if (rules2[key])
          return true;
      return false;
    }
    exports.schemaHasRules = schemaHasRules;
    function schemaHasRulesButRef(schema, RULES) {
      if (typeof schema == "boolean")
        return !schema;
      for (const key in schema)
        if (key !== "$ref" && RULES.all[key])
          return true;
      return false;
    }
    exports.schemaHasRulesButRef = schemaHasRulesButRef;
    function schemaRefOrVal({ topSchemaRef, schemaPath }, schema, keyword, $data) {
      if (!$data) {
        if (typeof schema == "number" || typeof schema == "boolean")
          return schema;
        if (typeof schema == "string")
          return (0, codegen_1._)`${schema}`;
      }
      return (0, codegen_1._)`${topSchemaRef}${schemaPath}${(0, codegen_1.getProperty)(keyword)}`;
    }
    exports.schemaRefOrVal = schemaRefOrVal;
    function unescapeFragment(str) {
      return unescapeJsonPointer(decodeURIComponent(str));
    }
    exports.unescapeFragment = unescapeFragment;
    function escapeFragment(str) {
      return encodeURIComponent(escapeJsonPointer(str));
    }
    exports.escapeFragment = escapeFragment;
    function escapeJsonPointer(str) {
      if (typeof str == "number")
        return `${str}`;
      return str.replace(/~/g, "~0").replace(/\//g, "~1");
    }
    exports.escapeJsonPointer = escapeJsonPointer;
    function unescapeJsonPointer(str) {
      return str.replace(/~1/g, "/").replace(/~0/g, "~");
    }
    exports.unescapeJsonPointer = unescapeJsonPointer;
    function eachItem(xs, f) {
      if (Array.isArray(xs)) {
        for (const x of xs)
          f(x);
      } else {
        f(xs);
      }
    }
    exports.eachItem = eachItem;
    function makeMergeEvaluated({ mergeNames, mergeToName, mergeValues, resultToName }) {
      return (gen, from, to, toName) => {
        const res = to === void 0 ? from : to instanceof codegen_1.Name ? (from instanceof codegen_1.Name ? mergeNames(gen, from, to) : mergeToName(gen, from, to), to) : from instanceof codegen_1.Name ? (mergeToName(gen, to, from), from) : mergeValues(from, to);
        return toName === codegen_1.Name && !(res instanceof codegen_1.Name) ? resultToName(gen, res) : res;
      };
    }
    exports.mergeEvaluated = {
      props: makeMergeEvaluated({
        mergeNames: (gen, from, to) => gen.if((0, codegen_1._)`${to} !== true && ${from} !== undefined`, () => {
          gen.if((0, codegen_1._)`${from} === true`, () => gen.assign(to, true), () => gen.assign(to, (0, codegen_1._)`${to} || {}`).code((0, codegen_1._)`Object.assign(${to}, ${from})`));
        }),
        mergeToName: (gen, from, to) => gen.if((0, codegen_1._)`${to} !== true`, () => {
          if (from === true) {
            gen.assign(to, true);
          } else {
            gen.assign(to, (0, codegen_1._)`${to} || {}`);
            setEvaluated(gen, to, from);
          }
        }),
        mergeValues: (from, to) => from === true ? true : { ...from, ...to },
        resultToName: evaluatedPropsToName
      }),
      items: makeMergeEvaluated({
        mergeNames: (gen, from, to) => gen.if((0, codegen_1._)`${to} !== true && ${from} !== undefined`, () => gen.assign(to, (0, codegen_1._)`${from} === true ? true : ${to} > ${from} ? ${to} : ${from}`)),
        mergeToName: (gen, from, to) => gen.if((0, codegen_1._)`${to} !== true`, () => gen.assign(to, from === true ? true : (0, codegen_1._)`${to} > ${from} ? ${to} : ${from}`)),
        mergeValues: (from, to) => from === true ? true : Math.max(from, to),
        resultToName: (gen, items) => gen.var("items", items)
      })
    };
    function evaluatedPropsToName(gen, ps) {
      if (ps === true)
        return gen.var("props", true);
      const props = gen.var("props", (0, codegen_1._)`{}`);
      if (ps !== void 0)
        setEvaluated(gen, props, ps);
      return props;
    }
    exports.evaluatedPropsToName = evaluatedPropsToName;
    function setEvaluated(gen, props, ps) {
      Object.keys(ps).forEach((p) => gen.assign((0, codegen_1._)`${props}${(0, codegen_1.getProperty)(p)}`, true));
    }
    exports.setEvaluated = setEvaluated;
    var snippets = {};
    function useFunc(gen, f) {
      return gen.scopeValue("func", {
        ref: f,
        code: snippets[f.code] || (snippets[f.code] = new code_1._Code(f.code))
      });
    }
    exports.useFunc = useFunc;
    var Type;
    (function(Type2) {
      Type2[Type2["Num"] = 0] = "Num";
      Type2[Type2["Str"] = 1] = "Str";
    })(Type || (exports.Type = Type = {}));
    function getErrorPath(dataProp, dataPropType, jsPropertySyntax) {
      if (dataProp instanceof codegen_1.Name) {
        const isNumber = dataPropType === Type.Num;
        return jsPropertySyntax ? isNumber ? (0, codegen_1._)`"[" + ${dataProp} + "]"` : (0, codegen_1._)`"['" + ${dataProp} + "']"` : isNumber ? (0, codegen_1._)`"/" + ${dataProp}` : (0, codegen_1._)`"/" + ${dataProp}.replace(/~/g, "~0").replace(/\\//g, "~1")`;
      }
      return jsPropertySyntax ? (0, codegen_1.getProperty)(dataProp).toString() : "/" + escapeJsonPointer(dataProp);
    }
    exports.getErrorPath = getErrorPath;
    function checkStrictMode(it, msg, mode = it.opts.strictSchema) {
      if (!mode)
        return;
      msg = `strict mode: ${msg}`;
      if (mode === true)
        throw new Error(msg);
      it.self.logger.warn(msg);
    }
    exports.checkStrictMode = checkStrictMode;
  }
});

// node_modules/ajv/dist/compile/names.js
var require_names = __commonJS({
  "node_modules/ajv/dist/compile/names.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var names = {
      // validation function arguments
      data: new codegen_1.Name("data"),
      // data passed to validation function
      // args passed from referencing schema
      valCxt: new codegen_1.Name("valCxt"),
      // validation/data context - should not be used directly, it is destructured to the names below
      instancePath: new codegen_1.Name("instancePath"),
      parentData: new codegen_1.Name("parentData"),
      parentDataProperty: new codegen_1.Name("parentDataProperty"),
      rootData: new codegen_1.Name("rootData"),
      // root data - same as the data passed to the first/top validation function
      dynamicAnchors: new codegen_1.Name("dynamicAnchors"),
      // used to support recursiveRef and dynamicRef
      // function scoped variables
      vErrors: new codegen_1.Name("vErrors"),
      // null or array of validation errors
      errors: new codegen_1.Name("errors"),
      // counter of validation errors
      this: new codegen_1.Name("this"),
      // "globals"
      self: new codegen_1.Name("self"),
      scope: new codegen_1.Name("scope"),
      // JTD serialize/parse name for JSON string and position
      json: new codegen_1.Name("json"),
      jsonPos: new codegen_1.Name("jsonPos"),
      jsonLen: new codegen_1.Name("jsonLen"),
      jsonPart: new codegen_1.Name("jsonPart")
    };
    exports.default = names;
  }
});

// node_modules/ajv/dist/compile/errors.js
var require_errors = __commonJS({
  "node_modules/ajv/dist/compile/errors.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.extendErrors = exports.resetErrorsCount = exports.reportExtraError = exports.reportError = exports.keyword$DataError = exports.keywordError = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var names_1 = require_names();
    exports.keywordError = {
      message: ({ keyword }) => (0, codegen_1.str)`must pass "${keyword}" keyword validation`
    };
    exports.keyword$DataError = {
      message: ({ keyword, schemaType }) => schemaType ? (0, codegen_1.str)`"${keyword}" keyword must be ${schemaType} ($data)` : (0, codegen_1.str)`"${keyword}" keyword is invalid ($data)`
    };
    function reportError(cxt, error = exports.keywordError, errorPaths, overrideAllErrors) {
      const { it } = cxt;
      const { gen, compositeRule, allErrors } = it;
      const errObj = errorObjectCode(cxt, error, errorPaths);
      if (overrideAllErrors !== null && overrideAllErrors !== void 0 ? overrideAllErrors : compositeRule || allErrors) {
        addError(gen, errObj);
      } else {
        returnErrors(it, (0, codegen_1._)`[${errObj}]`);
      }
    }
    exports.reportError = reportError;
    function reportExtraError(cxt, error = exports.keywordError, errorPaths) {
      const { it } = cxt;
      const { gen, compositeRule, allErrors } = it;
      const errObj = errorObjectCode(cxt, error, errorPaths);
      addError(gen, errObj);
      if (!(compositeRule || allErrors)) {
        returnErrors(it, names_1.default.vErrors);
      }
    }
    exports.reportExtraError = reportExtraError;
    function resetErrorsCount(gen, errsCount) {
      gen.assign(names_1.default.errors, errsCount);
      gen.if((0, codegen_1._)`${names_1.default.vErrors} !== null`, () => gen.if(errsCount, () => gen.assign((0, codegen_1._)`${names_1.default.vErrors}.length`, errsCount), () => gen.assign(names_1.default.vErrors, null)));
    }
    exports.resetErrorsCount = resetErrorsCount;
    function extendErrors({ gen, keyword, schemaValue, data, errsCount, it }) {
      if (errsCount === void 0)
        throw new Error("ajv implementation error");
      const err2 = gen.name("err");
      gen.forRange("i", errsCount, names_1.default.errors, (i2) => {
        gen.const(err2, (0, codegen_1._)`${names_1.default.vErrors}[${i2}]`);
        gen.if((0, codegen_1._)`${err2}.instancePath === undefined`, () => gen.assign((0, codegen_1._)`${err2}.instancePath`, (0, codegen_1.strConcat)(names_1.default.instancePath, it.errorPath)));
        gen.assign((0, codegen_1._)`${err2}.schemaPath`, (0, codegen_1.str)`${it.errSchemaPath}/${keyword}`);
        if (it.opts.verbose) {
          gen.assign((0, codegen_1._)`${err2}.schema`, schemaValue);
          gen.assign((0, codegen_1._)`${err2}.data`, data);
        }
      });
    }
    exports.extendErrors = extendErrors;
    function addError(gen, errObj) {
      const err2 = gen.const("err", errObj);
      gen.if((0, codegen_1._)`${names_1.default.vErrors} === null`, () => gen.assign(names_1.default.vErrors, (0, codegen_1._)`[${err2}]`), (0, codegen_1._)`${names_1.default.vErrors}.push(${err2})`);
      gen.code((0, codegen_1._)`${names_1.default.errors}++`);
    }
    function returnErrors(it, errs) {
      const { gen, validateName, schemaEnv } = it;
      if (schemaEnv.$async) {
        gen.throw((0, codegen_1._)`new ${it.ValidationError}(${errs})`);
      } else {
        gen.assign((0, codegen_1._)`${validateName}.errors`, errs);
        gen.return(false);
      }
    }
    var E = {
      keyword: new codegen_1.Name("keyword"),
      schemaPath: new codegen_1.Name("schemaPath"),
      // also used in JTD errors
      params: new codegen_1.Name("params"),
      propertyName: new codegen_1.Name("propertyName"),
      message: new codegen_1.Name("message"),
      schema: new codegen_1.Name("schema"),
      parentSchema: new codegen_1.Name("parentSchema")
    };
    function errorObjectCode(cxt, error, errorPaths) {
      const { createErrors } = cxt.it;
      if (createErrors === false)
        return (0, codegen_1._)`{}`;
      return errorObject(cxt, error, errorPaths);
    }
    function errorObject(cxt, error, errorPaths = {}) {
      const { gen, it } = cxt;
      const keyValues = [
        errorInstancePath(it, errorPaths),
        errorSchemaPath(cxt, errorPaths)
      ];
      extraErrorProps(cxt, error, keyValues);
      return gen.object(...keyValues);
    }
    function errorInstancePath({ errorPath }, { instancePath }) {
      const instPath = instancePath ? (0, codegen_1.str)`${errorPath}${(0, util_1.getErrorPath)(instancePath, util_1.Type.Str)}` : errorPath;
      return [names_1.default.instancePath, (0, codegen_1.strConcat)(names_1.default.instancePath, instPath)];
    }
    function errorSchemaPath({ keyword, it: { errSchemaPath } }, { schemaPath, parentSchema }) {
      let schPath = parentSchema ? errSchemaPath : (0, codegen_1.str)`${errSchemaPath}/${keyword}`;
      if (schemaPath) {
        schPath = (0, codegen_1.str)`${schPath}${(0, util_1.getErrorPath)(schemaPath, util_1.Type.Str)}`;
      }
      return [E.schemaPath, schPath];
    }
    function extraErrorProps(cxt, { params, message }, keyValues) {
      const { keyword, data, schemaValue, it } = cxt;
      const { opts: opts2, propertyName, topSchemaRef, schemaPath } = it;
      keyValues.push([E.keyword, keyword], [E.params, typeof params == "function" ? params(cxt) : params || (0, codegen_1._)`{}`]);
      if (opts2.messages) {
        keyValues.push([E.message, typeof message == "function" ? message(cxt) : message]);
      }
      if (opts2.verbose) {
        keyValues.push([E.schema, schemaValue], [E.parentSchema, (0, codegen_1._)`${topSchemaRef}${schemaPath}`], [names_1.default.data, data]);
      }
      if (propertyName)
        keyValues.push([E.propertyName, propertyName]);
    }
  }
});

// node_modules/ajv/dist/compile/validate/boolSchema.js
var require_boolSchema = __commonJS({
  "node_modules/ajv/dist/compile/validate/boolSchema.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.boolOrEmptySchema = exports.topBoolOrEmptySchema = void 0;
    var errors_1 = require_errors();
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var boolError = {
      message: "boolean schema is false"
    };
    function topBoolOrEmptySchema(it) {
      const { gen, schema, validateName } = it;
      if (schema === false) {
        falseSchemaError(it, false);
      } else if (typeof schema == "object" && schema.$async === true) {
        gen.return(names_1.default.data);
      } else {
        gen.assign((0, codegen_1._)`${validateName}.errors`, null);
        gen.return(true);
      }
    }
    exports.topBoolOrEmptySchema = topBoolOrEmptySchema;
    function boolOrEmptySchema(it, valid) {
      const { gen, schema } = it;
      if (schema === false) {
        gen.var(valid, false);
        falseSchemaError(it);
      } else {
        gen.var(valid, true);
      }
    }
    exports.boolOrEmptySchema = boolOrEmptySchema;
    function falseSchemaError(it, overrideAllErrors) {
      const { gen, data } = it;
      const cxt = {
        gen,
        keyword: "false schema",
        data,
        schema: false,
        schemaCode: false,
        schemaValue: false,
        params: {},
        it
      };
      (0, errors_1.reportError)(cxt, boolError, void 0, overrideAllErrors);
    }
  }
});

// node_modules/ajv/dist/compile/rules.js
var require_rules = __commonJS({
  "node_modules/ajv/dist/compile/rules.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.getRules = exports.isJSONType = void 0;
    var _jsonTypes = ["string", "number", "integer", "boolean", "null", "object", "array"];
    var jsonTypes = new Set(_jsonTypes);
    function isJSONType(x) {
      return typeof x == "string" && jsonTypes.has(x);
    }
    exports.isJSONType = isJSONType;
    function getRules() {
      const groups = {
        number: { type: "number", rules: [] },
        string: { type: "string", rules: [] },
        array: { type: "array", rules: [] },
        object: { type: "object", rules: [] }
      };
      return {
        types: { ...groups, integer: true, boolean: true, null: true },
        rules: [{ rules: [] }, groups.number, groups.string, groups.array, groups.object],
        post: { rules: [] },
        all: {},
        keywords: {}
      };
    }
    exports.getRules = getRules;
  }
});

// node_modules/ajv/dist/compile/validate/applicability.js
var require_applicability = __commonJS({
  "node_modules/ajv/dist/compile/validate/applicability.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.shouldUseRule = exports.shouldUseGroup = exports.schemaHasRulesForType = void 0;
    function schemaHasRulesForType({ schema, self: self2 }, type) {
      const group = self2.RULES.types[type];
      return group && group !== true && shouldUseGroup(schema, group);
    }
    exports.schemaHasRulesForType = schemaHasRulesForType;
    function shouldUseGroup(schema, group) {
      return group.rules.some((rule) => shouldUseRule(schema, rule));
    }
    exports.shouldUseGroup = shouldUseGroup;
    function shouldUseRule(schema, rule) {
      var _a;
      return schema[rule.keyword] !== void 0 || ((_a = rule.definition.implements) === null || _a === void 0 ? void 0 : _a.some((kwd) => schema[kwd] !== void 0));
    }
    exports.shouldUseRule = shouldUseRule;
  }
});

// node_modules/ajv/dist/compile/validate/dataType.js
var require_dataType = __commonJS({
  "node_modules/ajv/dist/compile/validate/dataType.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.reportTypeError = exports.checkDataTypes = exports.checkDataType = exports.coerceAndCheckDataType = exports.getJSONTypes = exports.getSchemaTypes = exports.DataType = void 0;
    var rules_1 = require_rules();
    var applicability_1 = require_applicability();
    var errors_1 = require_errors();
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var DataType;
    (function(DataType2) {
      DataType2[DataType2["Correct"] = 0] = "Correct";
      DataType2[DataType2["Wrong"] = 1] = "Wrong";
    })(DataType || (exports.DataType = DataType = {}));
    function getSchemaTypes(schema) {
      const types = getJSONTypes(schema.type);
      const hasNull = types.includes("null");
      if (hasNull) {
        if (schema.nullable === false)
          throw new Error("type: null contradicts nullable: false");
      } else {
        if (!types.length && schema.nullable !== void 0) {
          throw new Error('"nullable" cannot be used without "type"');
        }
        if (schema.nullable === true)
          types.push("null");
      }
      return types;
    }
    exports.getSchemaTypes = getSchemaTypes;
    function getJSONTypes(ts) {
      const types = Array.isArray(ts) ? ts : ts ? [ts] : [];
      if (types.every(rules_1.isJSONType))
        return types;
      throw new Error("type must be JSONType or JSONType[]: " + types.join(","));
    }
    exports.getJSONTypes = getJSONTypes;
    function coerceAndCheckDataType(it, types) {
      const { gen, data, opts: opts2 } = it;
      const coerceTo = coerceToTypes(types, opts2.coerceTypes);
      const checkTypes = types.length > 0 && !(coerceTo.length === 0 && types.length === 1 && (0, applicability_1.schemaHasRulesForType)(it, types[0]));
      if (checkTypes) {
        const wrongType = checkDataTypes(types, data, opts2.strictNumbers, DataType.Wrong);
        gen.if(wrongType, () => {
          if (coerceTo.length)
            coerceData(it, types, coerceTo);
          else
            reportTypeError(it);
        });
      }
      return checkTypes;
    }
    exports.coerceAndCheckDataType = coerceAndCheckDataType;
    var COERCIBLE = /* @__PURE__ */ new Set(["string", "number", "integer", "boolean", "null"]);
    function coerceToTypes(types, coerceTypes) {
      return coerceTypes ? types.filter((t) => COERCIBLE.has(t) || coerceTypes === "array" && t === "array") : [];
    }
    function coerceData(it, types, coerceTo) {
      const { gen, data, opts: opts2 } = it;
      const dataType = gen.let("dataType", (0, codegen_1._)`typeof ${data}`);
      const coerced = gen.let("coerced", (0, codegen_1._)`undefined`);
      if (opts2.coerceTypes === "array") {
        gen.if((0, codegen_1._)`${dataType} == 'object' && Array.isArray(${data}) && ${data}.length == 1`, () => gen.assign(data, (0, codegen_1._)`${data}[0]`).assign(dataType, (0, codegen_1._)`typeof ${data}`).if(checkDataTypes(types, data, opts2.strictNumbers), () => gen.assign(coerced, data)));
      }
      gen.if((0, codegen_1._)`${coerced} !== undefined`);
      for (const t of coerceTo) {
        if (COERCIBLE.has(t) || t === "array" && opts2.coerceTypes === "array") {
          coerceSpecificType(t);
        }
      }
      gen.else();
      reportTypeError(it);
      gen.endIf();
      gen.if((0, codegen_1._)`${coerced} !== undefined`, () => {
        gen.assign(data, coerced);
        assignParentData(it, coerced);
      });
      function coerceSpecificType(t) {
        switch (t) {
          case "string":
            gen.elseIf((0, codegen_1._)`${dataType} == "number" || ${dataType} == "boolean"`).assign(coerced, (0, codegen_1._)`"" + ${data}`).elseIf((0, codegen_1._)`${data} === null`).assign(coerced, (0, codegen_1._)`""`);
            return;
          case "number":
            gen.elseIf((0, codegen_1._)`${dataType} == "boolean" || ${data} === null
              || (${dataType} == "string" && ${data} && ${data} == +${data})`).assign(coerced, (0, codegen_1._)`+${data}`);
            return;
          case "integer":
            gen.elseIf((0, codegen_1._)`${dataType} === "boolean" || ${data} === null
              || (${dataType} === "string" && ${data} && ${data} == +${data} && !(${data} % 1))`).assign(coerced, (0, codegen_1._)`+${data}`);
            return;
          case "boolean":
            gen.elseIf((0, codegen_1._)`${data} === "false" || ${data} === 0 || ${data} === null`).assign(coerced, false).elseIf((0, codegen_1._)`${data} === "true" || ${data} === 1`).assign(coerced, true);
            return;
          case "null":
            gen.elseIf((0, codegen_1._)`${data} === "" || ${data} === 0 || ${data} === false`);
            gen.assign(coerced, null);
            return;
          case "array":
            gen.elseIf((0, codegen_1._)`${dataType} === "string" || ${dataType} === "number"
              || ${dataType} === "boolean" || ${data} === null`).assign(coerced, (0, codegen_1._)`[${data}]`);
        }
      }
    }
    function assignParentData({ gen, parentData, parentDataProperty }, expr) {
      gen.if((0, codegen_1._)`${parentData} !== undefined`, () => gen.assign((0, codegen_1._)`${parentData}[${parentDataProperty}]`, expr));
    }
    function checkDataType(dataType, data, strictNums, correct = DataType.Correct) {
      const EQ = correct === DataType.Correct ? codegen_1.operators.EQ : codegen_1.operators.NEQ;
      let cond;
      switch (dataType) {
        case "null":
          return (0, codegen_1._)`${data} ${EQ} null`;
        case "array":
          cond = (0, codegen_1._)`Array.isArray(${data})`;
          break;
        case "object":
          cond = (0, codegen_1._)`${data} && typeof ${data} == "object" && !Array.isArray(${data})`;
          break;
        case "integer":
          cond = numCond((0, codegen_1._)`!(${data} % 1) && !isNaN(${data})`);
          break;
        case "number":
          cond = numCond();
          break;
        default:
          return (0, codegen_1._)`typeof ${data} ${EQ} ${dataType}`;
      }
      return correct === DataType.Correct ? cond : (0, codegen_1.not)(cond);
      function numCond(_cond = codegen_1.nil) {
        return (0, codegen_1.and)((0, codegen_1._)`typeof ${data} == "number"`, _cond, strictNums ? (0, codegen_1._)`isFinite(${data})` : codegen_1.nil);
      }
    }
    exports.checkDataType = checkDataType;
    function checkDataTypes(dataTypes, data, strictNums, correct) {
      if (dataTypes.length === 1) {
        return checkDataType(dataTypes[0], data, strictNums, correct);
      }
      let cond;
      const types = (0, util_1.toHash)(dataTypes);
      if (types.array && types.object) {
        const notObj = (0, codegen_1._)`typeof ${data} != "object"`;
        cond = types.null ? notObj : (0, codegen_1._)`!${data} || ${notObj}`;
        delete types.null;
        delete types.array;
        delete types.object;
      } else {
        cond = codegen_1.nil;
      }
      if (types.number)
        delete types.integer;
      for (const t in types)
        cond = (0, codegen_1.and)(cond, checkDataType(t, data, strictNums, correct));
      return cond;
    }
    exports.checkDataTypes = checkDataTypes;
    var typeError = {
      message: ({ schema }) => `must be ${schema}`,
      params: ({ schema, schemaValue }) => typeof schema == "string" ? (0, codegen_1._)`{type: ${schema}}` : (0, codegen_1._)`{type: ${schemaValue}}`
    };
    function reportTypeError(it) {
      const cxt = getTypeErrorContext(it);
      (0, errors_1.reportError)(cxt, typeError);
    }
    exports.reportTypeError = reportTypeError;
    function getTypeErrorContext(it) {
      const { gen, data, schema } = it;
      const schemaCode = (0, util_1.schemaRefOrVal)(it, schema, "type");
      return {
        gen,
        keyword: "type",
        data,
        schema: schema.type,
        schemaCode,
        schemaValue: schemaCode,
        parentSchema: schema,
        params: {},
        it
      };
    }
  }
});

// node_modules/ajv/dist/compile/validate/defaults.js
var require_defaults = __commonJS({
  "node_modules/ajv/dist/compile/validate/defaults.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.assignDefaults = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    function assignDefaults(it, ty) {
      const { properties, items } = it.schema;
      if (ty === "object" && properties) {
        for (const key in properties) {
          assignDefault(it, key, properties[key].default);
        }
      } else if (ty === "array" && Array.isArray(items)) {
        items.forEach((sch, i2) => assignDefault(it, i2, sch.default));
      }
    }
    exports.assignDefaults = assignDefaults;
    function assignDefault(it, prop, defaultValue) {
      const { gen, compositeRule, data, opts: opts2 } = it;
      if (defaultValue === void 0)
        return;
      const childData = (0, codegen_1._)`${data}${(0, codegen_1.getProperty)(prop)}`;
      if (compositeRule) {
        (0, util_1.checkStrictMode)(it, `default is ignored for: ${childData}`);
        return;
      }
      let condition = (0, codegen_1._)`${childData} === undefined`;
      if (opts2.useDefaults === "empty") {
        condition = (0, codegen_1._)`${condition} || ${childData} === null || ${childData} === ""`;
      }
      gen.if(condition, (0, codegen_1._)`${childData} = ${(0, codegen_1.stringify)(defaultValue)}`);
    }
  }
});

// node_modules/ajv/dist/vocabularies/code.js
var require_code2 = __commonJS({
  "node_modules/ajv/dist/vocabularies/code.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateUnion = exports.validateArray = exports.usePattern = exports.callValidateCode = exports.schemaProperties = exports.allSchemaProperties = exports.noPropertyInData = exports.propertyInData = exports.isOwnProperty = exports.hasPropFunc = exports.reportMissingProp = exports.checkMissingProp = exports.checkReportMissingProp = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var names_1 = require_names();
    var util_2 = require_util();
    function checkReportMissingProp(cxt, prop) {
      const { gen, data, it } = cxt;
      gen.if(noPropertyInData(gen, data, prop, it.opts.ownProperties), () => {
        cxt.setParams({ missingProperty: (0, codegen_1._)`${prop}` }, true);
        cxt.error();
      });
    }
    exports.checkReportMissingProp = checkReportMissingProp;
    function checkMissingProp({ gen, data, it: { opts: opts2 } }, properties, missing) {
      return (0, codegen_1.or)(...properties.map((prop) => (0, codegen_1.and)(noPropertyInData(gen, data, prop, opts2.ownProperties), (0, codegen_1._)`${missing} = ${prop}`)));
    }
    exports.checkMissingProp = checkMissingProp;
    function reportMissingProp(cxt, missing) {
      cxt.setParams({ missingProperty: missing }, true);
      cxt.error();
    }
    exports.reportMissingProp = reportMissingProp;
    function hasPropFunc(gen) {
      return gen.scopeValue("func", {
        // eslint-disable-next-line @typescript-eslint/unbound-method
        ref: Object.prototype.hasOwnProperty,
        code: (0, codegen_1._)`Object.prototype.hasOwnProperty`
      });
    }
    exports.hasPropFunc = hasPropFunc;
    function isOwnProperty(gen, data, property) {
      return (0, codegen_1._)`${hasPropFunc(gen)}.call(${data}, ${property})`;
    }
    exports.isOwnProperty = isOwnProperty;
    function propertyInData(gen, data, property, ownProperties) {
      const cond = (0, codegen_1._)`${data}${(0, codegen_1.getProperty)(property)} !== undefined`;
      return ownProperties ? (0, codegen_1._)`${cond} && ${isOwnProperty(gen, data, property)}` : cond;
    }
    exports.propertyInData = propertyInData;
    function noPropertyInData(gen, data, property, ownProperties) {
      const cond = (0, codegen_1._)`${data}${(0, codegen_1.getProperty)(property)} === undefined`;
      return ownProperties ? (0, codegen_1.or)(cond, (0, codegen_1.not)(isOwnProperty(gen, data, property))) : cond;
    }
    exports.noPropertyInData = noPropertyInData;
    function allSchemaProperties(schemaMap) {
      return schemaMap ? Object.keys(schemaMap).filter((p) => p !== "__proto__") : [];
    }
    exports.allSchemaProperties = allSchemaProperties;
    function schemaProperties(it, schemaMap) {
      return allSchemaProperties(schemaMap).filter((p) => !(0, util_1.alwaysValidSchema)(it, schemaMap[p]));
    }
    exports.schemaProperties = schemaProperties;
    function callValidateCode({ schemaCode, data, it: { gen, topSchemaRef, schemaPath, errorPath }, it }, func2, context, passSchema) {
      const dataAndSchema = passSchema ? (0, codegen_1._)`${schemaCode}, ${data}, ${topSchemaRef}${schemaPath}` : data;
      const valCxt = [
        [names_1.default.instancePath, (0, codegen_1.strConcat)(names_1.default.instancePath, errorPath)],
        [names_1.default.parentData, it.parentData],
        [names_1.default.parentDataProperty, it.parentDataProperty],
        [names_1.default.rootData, names_1.default.rootData]
      ];
      if (it.opts.dynamicRef)
        valCxt.push([names_1.default.dynamicAnchors, names_1.default.dynamicAnchors]);
      const args2 = (0, codegen_1._)`${dataAndSchema}, ${gen.object(...valCxt)}`;
      return context !== codegen_1.nil ? (0, codegen_1._)`${func2}.call(${context}, ${args2})` : (0, codegen_1._)`${func2}(${args2})`;
    }
    exports.callValidateCode = callValidateCode;
    var newRegExp = (0, codegen_1._)`new RegExp`;
    function usePattern({ gen, it: { opts: opts2 } }, pattern) {
      const u = opts2.unicodeRegExp ? "u" : "";
      const { regExp } = opts2.code;
      const rx = regExp(pattern, u);
      return gen.scopeValue("pattern", {
        key: rx.toString(),
        ref: rx,
        code: (0, codegen_1._)`${regExp.code === "new RegExp" ? newRegExp : (0, util_2.useFunc)(gen, regExp)}(${pattern}, ${u})`
      });
    }
    exports.usePattern = usePattern;
    function validateArray(cxt) {
      const { gen, data, keyword, it } = cxt;
      const valid = gen.name("valid");
      if (it.allErrors) {
        const validArr = gen.let("valid", true);
        validateItems(() => gen.assign(validArr, false));
        return validArr;
      }
      gen.var(valid, true);
      validateItems(() => gen.break());
      return valid;
      function validateItems(notValid) {
        const len = gen.const("len", (0, codegen_1._)`${data}.length`);
        gen.forRange("i", 0, len, (i2) => {
          cxt.subschema({
            keyword,
            dataProp: i2,
            dataPropType: util_1.Type.Num
          }, valid);
          gen.if((0, codegen_1.not)(valid), notValid);
        });
      }
    }
    exports.validateArray = validateArray;
    function validateUnion(cxt) {
      const { gen, schema, keyword, it } = cxt;
      if (!Array.isArray(schema))
        throw new Error("ajv implementation error");
      const alwaysValid = schema.some((sch) => (0, util_1.alwaysValidSchema)(it, sch));
      if (alwaysValid && !it.opts.unevaluated)
        return;
      const valid = gen.let("valid", false);
      const schValid = gen.name("_valid");
      gen.block(() => schema.forEach((_sch, i2) => {
        const schCxt = cxt.subschema({
          keyword,
          schemaProp: i2,
          compositeRule: true
        }, schValid);
        gen.assign(valid, (0, codegen_1._)`${valid} || ${schValid}`);
        const merged = cxt.mergeValidEvaluated(schCxt, schValid);
        if (!merged)
          gen.if((0, codegen_1.not)(valid));
      }));
      cxt.result(valid, () => cxt.reset(), () => cxt.error(true));
    }
    exports.validateUnion = validateUnion;
  }
});

// node_modules/ajv/dist/compile/validate/keyword.js
var require_keyword = __commonJS({
  "node_modules/ajv/dist/compile/validate/keyword.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateKeywordUsage = exports.validSchemaType = exports.funcKeywordCode = exports.macroKeywordCode = void 0;
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var code_1 = require_code2();
    var errors_1 = require_errors();
    function macroKeywordCode(cxt, def) {
      const { gen, keyword, schema, parentSchema, it } = cxt;
      const macroSchema = def.macro.call(it.self, schema, parentSchema, it);
      const schemaRef = useKeyword(gen, keyword, macroSchema);
      if (it.opts.validateSchema !== false)
        it.self.validateSchema(macroSchema, true);
      const valid = gen.name("valid");
      cxt.subschema({
        schema: macroSchema,
        schemaPath: codegen_1.nil,
        errSchemaPath: `${it.errSchemaPath}/${keyword}`,
        topSchemaRef: schemaRef,
        compositeRule: true
      }, valid);
      cxt.pass(valid, () => cxt.error(true));
    }
    exports.macroKeywordCode = macroKeywordCode;
    function funcKeywordCode(cxt, def) {
      var _a;
      const { gen, keyword, schema, parentSchema, $data, it } = cxt;
      checkAsyncKeyword(it, def);
      const validate = !$data && def.compile ? def.compile.call(it.self, schema, parentSchema, it) : def.validate;
      const validateRef = useKeyword(gen, keyword, validate);
      const valid = gen.let("valid");
      cxt.block$data(valid, validateKeyword);
      cxt.ok((_a = def.valid) !== null && _a !== void 0 ? _a : valid);
      function validateKeyword() {
        if (def.errors === false) {
          assignValid();
          if (def.modifying)
            modifyData(cxt);
          reportErrs(() => cxt.error());
        } else {
          const ruleErrs = def.async ? validateAsync() : validateSync();
          if (def.modifying)
            modifyData(cxt);
          reportErrs(() => addErrs(cxt, ruleErrs));
        }
      }
      function validateAsync() {
        const ruleErrs = gen.let("ruleErrs", null);
        gen.try(() => assignValid((0, codegen_1._)`await `), (e) => gen.assign(valid, false).if((0, codegen_1._)`${e} instanceof ${it.ValidationError}`, () => gen.assign(ruleErrs, (0, codegen_1._)`${e}.errors`), () => gen.throw(e)));
        return ruleErrs;
      }
      function validateSync() {
        const validateErrs = (0, codegen_1._)`${validateRef}.errors`;
        gen.assign(validateErrs, null);
        assignValid(codegen_1.nil);
        return validateErrs;
      }
      function assignValid(_await = def.async ? (0, codegen_1._)`await ` : codegen_1.nil) {
        const passCxt = it.opts.passContext ? names_1.default.this : names_1.default.self;
        const passSchema = !("compile" in def && !$data || def.schema === false);
        gen.assign(valid, (0, codegen_1._)`${_await}${(0, code_1.callValidateCode)(cxt, validateRef, passCxt, passSchema)}`, def.modifying);
      }
      function reportErrs(errors) {
        var _a2;
        gen.if((0, codegen_1.not)((_a2 = def.valid) !== null && _a2 !== void 0 ? _a2 : valid), errors);
      }
    }
    exports.funcKeywordCode = funcKeywordCode;
    function modifyData(cxt) {
      const { gen, data, it } = cxt;
      gen.if(it.parentData, () => gen.assign(data, (0, codegen_1._)`${it.parentData}[${it.parentDataProperty}]`));
    }
    function addErrs(cxt, errs) {
      const { gen } = cxt;
      gen.if((0, codegen_1._)`Array.isArray(${errs})`, () => {
        gen.assign(names_1.default.vErrors, (0, codegen_1._)`${names_1.default.vErrors} === null ? ${errs} : ${names_1.default.vErrors}.concat(${errs})`).assign(names_1.default.errors, (0, codegen_1._)`${names_1.default.vErrors}.length`);
        (0, errors_1.extendErrors)(cxt);
      }, () => cxt.error());
    }
    function checkAsyncKeyword({ schemaEnv }, def) {
      if (def.async && !schemaEnv.$async)
        throw new Error("async keyword in sync schema");
    }
    function useKeyword(gen, keyword, result) {
      if (result === void 0)
        throw new Error(`keyword "${keyword}" failed to compile`);
      return gen.scopeValue("keyword", typeof result == "function" ? { ref: result } : { ref: result, code: (0, codegen_1.stringify)(result) });
    }
    function validSchemaType(schema, schemaType, allowUndefined = false) {
      return !schemaType.length || schemaType.some((st) => st === "array" ? Array.isArray(schema) : st === "object" ? schema && typeof schema == "object" && !Array.isArray(schema) : typeof schema == st || allowUndefined && typeof schema == "undefined");
    }
    exports.validSchemaType = validSchemaType;
    function validateKeywordUsage({ schema, opts: opts2, self: self2, errSchemaPath }, def, keyword) {
      if (Array.isArray(def.keyword) ? !def.keyword.includes(keyword) : def.keyword !== keyword) {
        throw new Error("ajv implementation error");
      }
      const deps = def.dependencies;
      if (deps === null || deps === void 0 ? void 0 : deps.some((kwd) => !Object.prototype.hasOwnProperty.call(schema, kwd))) {
        throw new Error(`parent schema must have dependencies of ${keyword}: ${deps.join(",")}`);
      }
      if (def.validateSchema) {
        const valid = def.validateSchema(schema[keyword]);
        if (!valid) {
          const msg = `keyword "${keyword}" value is invalid at path "${errSchemaPath}": ` + self2.errorsText(def.validateSchema.errors);
          if (opts2.validateSchema === "log")
            self2.logger.error(msg);
          else
            throw new Error(msg);
        }
      }
    }
    exports.validateKeywordUsage = validateKeywordUsage;
  }
});

// node_modules/ajv/dist/compile/validate/subschema.js
var require_subschema = __commonJS({
  "node_modules/ajv/dist/compile/validate/subschema.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.extendSubschemaMode = exports.extendSubschemaData = exports.getSubschema = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    function getSubschema(it, { keyword, schemaProp, schema, schemaPath, errSchemaPath, topSchemaRef }) {
      if (keyword !== void 0 && schema !== void 0) {
        throw new Error('both "keyword" and "schema" passed, only one allowed');
      }
      if (keyword !== void 0) {
        const sch = it.schema[keyword];
        return schemaProp === void 0 ? {
          schema: sch,
          schemaPath: (0, codegen_1._)`${it.schemaPath}${(0, codegen_1.getProperty)(keyword)}`,
          errSchemaPath: `${it.errSchemaPath}/${keyword}`
        } : {
          schema: sch[schemaProp],
          schemaPath: (0, codegen_1._)`${it.schemaPath}${(0, codegen_1.getProperty)(keyword)}${(0, codegen_1.getProperty)(schemaProp)}`,
          errSchemaPath: `${it.errSchemaPath}/${keyword}/${(0, util_1.escapeFragment)(schemaProp)}`
        };
      }
      if (schema !== void 0) {
        if (schemaPath === void 0 || errSchemaPath === void 0 || topSchemaRef === void 0) {
          throw new Error('"schemaPath", "errSchemaPath" and "topSchemaRef" are required with "schema"');
        }
        return {
          schema,
          schemaPath,
          topSchemaRef,
          errSchemaPath
        };
      }
      throw new Error('either "keyword" or "schema" must be passed');
    }
    exports.getSubschema = getSubschema;
    function extendSubschemaData(subschema, it, { dataProp, dataPropType: dpType, data, dataTypes, propertyName }) {
      if (data !== void 0 && dataProp !== void 0) {
        throw new Error('both "data" and "dataProp" passed, only one allowed');
      }
      const { gen } = it;
      if (dataProp !== void 0) {
        const { errorPath, dataPathArr, opts: opts2 } = it;
        const nextData = gen.let("data", (0, codegen_1._)`${it.data}${(0, codegen_1.getProperty)(dataProp)}`, true);
        dataContextProps(nextData);
        subschema.errorPath = (0, codegen_1.str)`${errorPath}${(0, util_1.getErrorPath)(dataProp, dpType, opts2.jsPropertySyntax)}`;
        subschema.parentDataProperty = (0, codegen_1._)`${dataProp}`;
        subschema.dataPathArr = [...dataPathArr, subschema.parentDataProperty];
      }
      if (data !== void 0) {
        const nextData = data instanceof codegen_1.Name ? data : gen.let("data", data, true);
        dataContextProps(nextData);
        if (propertyName !== void 0)
          subschema.propertyName = propertyName;
      }
      if (dataTypes)
        subschema.dataTypes = dataTypes;
      function dataContextProps(_nextData) {
        subschema.data = _nextData;
        subschema.dataLevel = it.dataLevel + 1;
        subschema.dataTypes = [];
        it.definedProperties = /* @__PURE__ */ new Set();
        subschema.parentData = it.data;
        subschema.dataNames = [...it.dataNames, _nextData];
      }
    }
    exports.extendSubschemaData = extendSubschemaData;
    function extendSubschemaMode(subschema, { jtdDiscriminator, jtdMetadata, compositeRule, createErrors, allErrors }) {
      if (compositeRule !== void 0)
        subschema.compositeRule = compositeRule;
      if (createErrors !== void 0)
        subschema.createErrors = createErrors;
      if (allErrors !== void 0)
        subschema.allErrors = allErrors;
      subschema.jtdDiscriminator = jtdDiscriminator;
      subschema.jtdMetadata = jtdMetadata;
    }
    exports.extendSubschemaMode = extendSubschemaMode;
  }
});

// node_modules/fast-deep-equal/index.js
var require_fast_deep_equal = __commonJS({
  "node_modules/fast-deep-equal/index.js"(exports, module2) {
    "use strict";
    module2.exports = function equal(a, b) {
      if (a === b) return true;
      if (a && b && typeof a == "object" && typeof b == "object") {
        if (a.constructor !== b.constructor) return false;
        var length, i2, keys;
        if (Array.isArray(a)) {
          length = a.length;
          if (length != b.length) return false;
          for (i2 = length; i2-- !== 0; )
            if (!equal(a[i2], b[i2])) return false;
          return true;
        }
        if (a.constructor === RegExp) return a.source === b.source && a.flags === b.flags;
        if (a.valueOf !== Object.prototype.valueOf) return a.valueOf() === b.valueOf();
        if (a.toString !== Object.prototype.toString) return a.toString() === b.toString();
        keys = Object.keys(a);
        length = keys.length;
        if (length !== Object.keys(b).length) return false;
        for (i2 = length; i2-- !== 0; )
          if (!Object.prototype.hasOwnProperty.call(b, keys[i2])) return false;
        for (i2 = length; i2-- !== 0; ) {
          var key = keys[i2];
          if (!equal(a[key], b[key])) return false;
        }
        return true;
      }
      return a !== a && b !== b;
    };
  }
});

// node_modules/json-schema-traverse/index.js
var require_json_schema_traverse = __commonJS({
  "node_modules/json-schema-traverse/index.js"(exports, module2) {
    "use strict";
    var traverse = module2.exports = function(schema, opts2, cb) {
      if (typeof opts2 == "function") {
        cb = opts2;
        opts2 = {};
      }
      cb = opts2.cb || cb;
      var pre = typeof cb == "function" ? cb : cb.pre || function() {
      };
      var post = cb.post || function() {
      };
      _traverse(opts2, pre, post, schema, "", schema);
    };
    traverse.keywords = {
      additionalItems: true,
      items: true,
      contains: true,
      additionalProperties: true,
      propertyNames: true,
      not: true,
      if: true,
      then: true,
      else: true
    };
    traverse.arrayKeywords = {
      items: true,
      allOf: true,
      anyOf: true,
      oneOf: true
    };
    traverse.propsKeywords = {
      $defs: true,
      definitions: true,
      properties: true,
      patternProperties: true,
      dependencies: true
    };
    traverse.skipKeywords = {
      default: true,
      enum: true,
      const: true,
      required: true,
      maximum: true,
      minimum: true,
      exclusiveMaximum: true,
      exclusiveMinimum: true,
      multipleOf: true,
      maxLength: true,
      minLength: true,
      pattern: true,
      format: true,
      maxItems: true,
      minItems: true,
      uniqueItems: true,
      maxProperties: true,
      minProperties: true
    };
    function _traverse(opts2, pre, post, schema, jsonPtr, rootSchema, parentJsonPtr, parentKeyword, parentSchema, keyIndex) {
      if (schema && typeof schema == "object" && !Array.isArray(schema)) {
        pre(schema, jsonPtr, rootSchema, parentJsonPtr, parentKeyword, parentSchema, keyIndex);
        for (var key in schema) {
          var sch = schema[key];
          if (Array.isArray(sch)) {
            if (key in traverse.arrayKeywords) {
              for (var i2 = 0; i2 < sch.length; i2++)
                _traverse(opts2, pre, post, sch[i2], jsonPtr + "/" + key + "/" + i2, rootSchema, jsonPtr, key, schema, i2);
            }
          } else if (key in traverse.propsKeywords) {
            if (sch && typeof sch == "object") {
              for (var prop in sch)
                _traverse(opts2, pre, post, sch[prop], jsonPtr + "/" + key + "/" + escapeJsonPtr(prop), rootSchema, jsonPtr, key, schema, prop);
            }
          } else if (key in traverse.keywords || opts2.allKeys && !(key in traverse.skipKeywords)) {
            _traverse(opts2, pre, post, sch, jsonPtr + "/" + key, rootSchema, jsonPtr, key, schema);
          }
        }
        post(schema, jsonPtr, rootSchema, parentJsonPtr, parentKeyword, parentSchema, keyIndex);
      }
    }
    function escapeJsonPtr(str) {
      return str.replace(/~/g, "~0").replace(/\//g, "~1");
    }
  }
});

// node_modules/ajv/dist/compile/resolve.js
var require_resolve = __commonJS({
  "node_modules/ajv/dist/compile/resolve.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.getSchemaRefs = exports.resolveUrl = exports.normalizeId = exports._getFullPath = exports.getFullPath = exports.inlineRef = void 0;
    var util_1 = require_util();
    var equal = require_fast_deep_equal();
    var traverse = require_json_schema_traverse();
    var SIMPLE_INLINED = /* @__PURE__ */ new Set([
      "type",
      "format",
      "pattern",
      "maxLength",
      "minLength",
      "maxProperties",
      "minProperties",
      "maxItems",
      "minItems",
      "maximum",
      "minimum",
      "uniqueItems",
      "multipleOf",
      "required",
      "enum",
      "const"
    ]);
    function inlineRef(schema, limit = true) {
      if (typeof schema == "boolean")
        return true;
      if (limit === true)
        return !hasRef(schema);
      if (!limit)
        return false;
      return countKeys(schema) <= limit;
    }
    exports.inlineRef = inlineRef;
    var REF_KEYWORDS = /* @__PURE__ */ new Set([
      "$ref",
      "$recursiveRef",
      "$recursiveAnchor",
      "$dynamicRef",
      "$dynamicAnchor"
    ]);
    function hasRef(schema) {
      for (const key in schema) {
        if (REF_KEYWORDS.has(key))
          return true;
        const sch = schema[key];
        if (Array.isArray(sch) && sch.some(hasRef))
          return true;
        if (typeof sch == "object" && hasRef(sch))
          return true;
      }
      return false;
    }
    function countKeys(schema) {
      let count = 0;
      for (const key in schema) {
        if (key === "$ref")
          return Infinity;
        count++;
        if (SIMPLE_INLINED.has(key))
          continue;
        if (typeof schema[key] == "object") {
          (0, util_1.eachItem)(schema[key], (sch) => count += countKeys(sch));
        }
        if (count === Infinity)
          return Infinity;
      }
      return count;
    }
    function getFullPath(resolver, id = "", normalize2) {
      if (normalize2 !== false)
        id = normalizeId(id);
      const p = resolver.parse(id);
      return _getFullPath(resolver, p);
    }
    exports.getFullPath = getFullPath;
    function _getFullPath(resolver, p) {
      const serialized = resolver.serialize(p);
      return serialized.split("#")[0] + "#";
    }
    exports._getFullPath = _getFullPath;
    var TRAILING_SLASH_HASH = /#\/?$/;
    function normalizeId(id) {
      return id ? id.replace(TRAILING_SLASH_HASH, "") : "";
    }
    exports.normalizeId = normalizeId;
    function resolveUrl(resolver, baseId, id) {
      id = normalizeId(id);
      return resolver.resolve(baseId, id);
    }
    exports.resolveUrl = resolveUrl;
    var ANCHOR = /^[a-z_][-a-z0-9._]*$/i;
    function getSchemaRefs(schema, baseId) {
      if (typeof schema == "boolean")
        return {};
      const { schemaId, uriResolver } = this.opts;
      const schId = normalizeId(schema[schemaId] || baseId);
      const baseIds = { "": schId };
      const pathPrefix = getFullPath(uriResolver, schId, false);
      const localRefs = {};
      const schemaRefs = /* @__PURE__ */ new Set();
      traverse(schema, { allKeys: true }, (sch, jsonPtr, _, parentJsonPtr) => {
        if (parentJsonPtr === void 0)
          return;
        const fullPath = pathPrefix + jsonPtr;
        let innerBaseId = baseIds[parentJsonPtr];
        if (typeof sch[schemaId] == "string")
          innerBaseId = addRef.call(this, sch[schemaId]);
        addAnchor.call(this, sch.$anchor);
        addAnchor.call(this, sch.$dynamicAnchor);
        baseIds[jsonPtr] = innerBaseId;
        function addRef(ref) {
          const _resolve = this.opts.uriResolver.resolve;
          ref = normalizeId(innerBaseId ? _resolve(innerBaseId, ref) : ref);
          if (schemaRefs.has(ref))
            throw ambiguos(ref);
          schemaRefs.add(ref);
          let schOrRef = this.refs[ref];
          if (typeof schOrRef == "string")
            schOrRef = this.refs[schOrRef];
          if (typeof schOrRef == "object") {
            checkAmbiguosRef(sch, schOrRef.schema, ref);
          } else if (ref !== normalizeId(fullPath)) {
            if (ref[0] === "#") {
              checkAmbiguosRef(sch, localRefs[ref], ref);
              localRefs[ref] = sch;
            } else {
              this.refs[ref] = fullPath;
            }
          }
          return ref;
        }
        function addAnchor(anchor) {
          if (typeof anchor == "string") {
            if (!ANCHOR.test(anchor))
              throw new Error(`invalid anchor "${anchor}"`);
            addRef.call(this, `#${anchor}`);
          }
        }
      });
      return localRefs;
      function checkAmbiguosRef(sch1, sch2, ref) {
        if (sch2 !== void 0 && !equal(sch1, sch2))
          throw ambiguos(ref);
      }
      function ambiguos(ref) {
        return new Error(`reference "${ref}" resolves to more than one schema`);
      }
    }
    exports.getSchemaRefs = getSchemaRefs;
  }
});

// node_modules/ajv/dist/compile/validate/index.js
var require_validate = __commonJS({
  "node_modules/ajv/dist/compile/validate/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.getData = exports.KeywordCxt = exports.validateFunctionCode = void 0;
    var boolSchema_1 = require_boolSchema();
    var dataType_1 = require_dataType();
    var applicability_1 = require_applicability();
    var dataType_2 = require_dataType();
    var defaults_1 = require_defaults();
    var keyword_1 = require_keyword();
    var subschema_1 = require_subschema();
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var resolve_1 = require_resolve();
    var util_1 = require_util();
    var errors_1 = require_errors();
    function validateFunctionCode(it) {
      if (isSchemaObj(it)) {
        checkKeywords(it);
        if (schemaCxtHasRules(it)) {
          topSchemaObjCode(it);
          return;
        }
      }
      validateFunction(it, () => (0, boolSchema_1.topBoolOrEmptySchema)(it));
    }
    exports.validateFunctionCode = validateFunctionCode;
    function validateFunction({ gen, validateName, schema, schemaEnv, opts: opts2 }, body2) {
      if (opts2.code.es5) {
        gen.func(validateName, (0, codegen_1._)`${names_1.default.data}, ${names_1.default.valCxt}`, schemaEnv.$async, () => {
          gen.code((0, codegen_1._)`"use strict"; ${funcSourceUrl(schema, opts2)}`);
          destructureValCxtES5(gen, opts2);
          gen.code(body2);
        });
      } else {
        gen.func(validateName, (0, codegen_1._)`${names_1.default.data}, ${destructureValCxt(opts2)}`, schemaEnv.$async, () => gen.code(funcSourceUrl(schema, opts2)).code(body2));
      }
    }
    function destructureValCxt(opts2) {
      return (0, codegen_1._)`{${names_1.default.instancePath}="", ${names_1.default.parentData}, ${names_1.default.parentDataProperty}, ${names_1.default.rootData}=${names_1.default.data}${opts2.dynamicRef ? (0, codegen_1._)`, ${names_1.default.dynamicAnchors}={}` : codegen_1.nil}}={}`;
    }
    function destructureValCxtES5(gen, opts2) {
      gen.if(names_1.default.valCxt, () => {
        gen.var(names_1.default.instancePath, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.instancePath}`);
        gen.var(names_1.default.parentData, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.parentData}`);
        gen.var(names_1.default.parentDataProperty, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.parentDataProperty}`);
        gen.var(names_1.default.rootData, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.rootData}`);
        if (opts2.dynamicRef)
          gen.var(names_1.default.dynamicAnchors, (0, codegen_1._)`${names_1.default.valCxt}.${names_1.default.dynamicAnchors}`);
      }, () => {
        gen.var(names_1.default.instancePath, (0, codegen_1._)`""`);
        gen.var(names_1.default.parentData, (0, codegen_1._)`undefined`);
        gen.var(names_1.default.parentDataProperty, (0, codegen_1._)`undefined`);
        gen.var(names_1.default.rootData, names_1.default.data);
        if (opts2.dynamicRef)
          gen.var(names_1.default.dynamicAnchors, (0, codegen_1._)`{}`);
      });
    }
    function topSchemaObjCode(it) {
      const { schema, opts: opts2, gen } = it;
      validateFunction(it, () => {
        if (opts2.$comment && schema.$comment)
          commentKeyword(it);
        checkNoDefault(it);
        gen.let(names_1.default.vErrors, null);
        gen.let(names_1.default.errors, 0);
        if (opts2.unevaluated)
          resetEvaluated(it);
        typeAndKeywords(it);
        returnResults(it);
      });
      return;
    }
    function resetEvaluated(it) {
      const { gen, validateName } = it;
      it.evaluated = gen.const("evaluated", (0, codegen_1._)`${validateName}.evaluated`);
      gen.if((0, codegen_1._)`${it.evaluated}.dynamicProps`, () => gen.assign((0, codegen_1._)`${it.evaluated}.props`, (0, codegen_1._)`undefined`));
      gen.if((0, codegen_1._)`${it.evaluated}.dynamicItems`, () => gen.assign((0, codegen_1._)`${it.evaluated}.items`, (0, codegen_1._)`undefined`));
    }
    function funcSourceUrl(schema, opts2) {
      const schId = typeof schema == "object" && schema[opts2.schemaId];
      return schId && (opts2.code.source || opts2.code.process) ? (0, codegen_1._)`/*# sourceURL=${schId} */` : codegen_1.nil;
    }
    function subschemaCode(it, valid) {
      if (isSchemaObj(it)) {
        checkKeywords(it);
        if (schemaCxtHasRules(it)) {
          subSchemaObjCode(it, valid);
          return;
        }
      }
      (0, boolSchema_1.boolOrEmptySchema)(it, valid);
    }
    function schemaCxtHasRules({ schema, self: self2 }) {
      if (typeof schema == "boolean")
        return !schema;
      for (const key in schema)
        if (self2.RULES.all[key])
          return true;
      return false;
    }
    function isSchemaObj(it) {
      return typeof it.schema != "boolean";
    }
    function subSchemaObjCode(it, valid) {
      const { schema, gen, opts: opts2 } = it;
      if (opts2.$comment && schema.$comment)
        commentKeyword(it);
      updateContext(it);
      checkAsyncSchema(it);
      const errsCount = gen.const("_errs", names_1.default.errors);
      typeAndKeywords(it, errsCount);
      gen.var(valid, (0, codegen_1._)`${errsCount} === ${names_1.default.errors}`);
    }
    function checkKeywords(it) {
      (0, util_1.checkUnknownRules)(it);
      checkRefsAndKeywords(it);
    }
    function typeAndKeywords(it, errsCount) {
      if (it.opts.jtd)
        return schemaKeywords(it, [], false, errsCount);
      const types = (0, dataType_1.getSchemaTypes)(it.schema);
      const checkedTypes = (0, dataType_1.coerceAndCheckDataType)(it, types);
      schemaKeywords(it, types, !checkedTypes, errsCount);
    }
    function checkRefsAndKeywords(it) {
      const { schema, errSchemaPath, opts: opts2, self: self2 } = it;
      if (schema.$ref && opts2.ignoreKeywordsWithRef && (0, util_1.schemaHasRulesButRef)(schema, self2.RULES)) {
        self2.logger.warn(`$ref: keywords ignored in schema at path "${errSchemaPath}"`);
      }
    }
    function checkNoDefault(it) {
      const { schema, opts: opts2 } = it;
      if (schema.default !== void 0 && opts2.useDefaults && opts2.strictSchema) {
        (0, util_1.checkStrictMode)(it, "default is ignored in the schema root");
      }
    }
    function updateContext(it) {
      const schId = it.schema[it.opts.schemaId];
      if (schId)
        it.baseId = (0, resolve_1.resolveUrl)(it.opts.uriResolver, it.baseId, schId);
    }
    function checkAsyncSchema(it) {
      if (it.schema.$async && !it.schemaEnv.$async)
        throw new Error("async schema in sync schema");
    }
    function commentKeyword({ gen, schemaEnv, schema, errSchemaPath, opts: opts2 }) {
      const msg = schema.$comment;
      if (opts2.$comment === true) {
        gen.code((0, codegen_1._)`${names_1.default.self}.logger.log(${msg})`);
      } else if (typeof opts2.$comment == "function") {
        const schemaPath = (0, codegen_1.str)`${errSchemaPath}/$comment`;
        const rootName = gen.scopeValue("root", { ref: schemaEnv.root });
        gen.code((0, codegen_1._)`${names_1.default.self}.opts.$comment(${msg}, ${schemaPath}, ${rootName}.schema)`);
      }
    }
    function returnResults(it) {
      const { gen, schemaEnv, validateName, ValidationError, opts: opts2 } = it;
      if (schemaEnv.$async) {
        gen.if((0, codegen_1._)`${names_1.default.errors} === 0`, () => gen.return(names_1.default.data), () => gen.throw((0, codegen_1._)`new ${ValidationError}(${names_1.default.vErrors})`));
      } else {
        gen.assign((0, codegen_1._)`${validateName}.errors`, names_1.default.vErrors);
        if (opts2.unevaluated)
          assignEvaluated(it);
        gen.return((0, codegen_1._)`${names_1.default.errors} === 0`);
      }
    }
    function assignEvaluated({ gen, evaluated, props, items }) {
      if (props instanceof codegen_1.Name)
        gen.assign((0, codegen_1._)`${evaluated}.props`, props);
      if (items instanceof codegen_1.Name)
        gen.assign((0, codegen_1._)`${evaluated}.items`, items);
    }
    function schemaKeywords(it, types, typeErrors, errsCount) {
      const { gen, schema, data, allErrors, opts: opts2, self: self2 } = it;
      const { RULES } = self2;
      if (schema.$ref && (opts2.ignoreKeywordsWithRef || !(0, util_1.schemaHasRulesButRef)(schema, RULES))) {
        gen.block(() => keywordCode(it, "$ref", RULES.all.$ref.definition));
        return;
      }
      if (!opts2.jtd)
        checkStrictTypes(it, types);
      gen.block(() => {
        for (const group of RULES.rules)
          groupKeywords(group);
        groupKeywords(RULES.post);
      });
      function groupKeywords(group) {
        if (!(0, applicability_1.shouldUseGroup)(schema, group))
          return;
        if (group.type) {
          gen.if((0, dataType_2.checkDataType)(group.type, data, opts2.strictNumbers));
          iterateKeywords(it, group);
          if (types.length === 1 && types[0] === group.type && typeErrors) {
            gen.else();
            (0, dataType_2.reportTypeError)(it);
          }
          gen.endIf();
        } else {
          iterateKeywords(it, group);
        }
        if (!allErrors)
          gen.if((0, codegen_1._)`${names_1.default.errors} === ${errsCount || 0}`);
      }
    }
    function iterateKeywords(it, group) {
      const { gen, schema, opts: { useDefaults } } = it;
      if (useDefaults)
        (0, defaults_1.assignDefaults)(it, group.type);
      gen.block(() => {
        for (const rule of group.rules) {
          if ((0, applicability_1.shouldUseRule)(schema, rule)) {
            keywordCode(it, rule.keyword, rule.definition, group.type);
          }
        }
      });
    }
    function checkStrictTypes(it, types) {
      if (it.schemaEnv.meta || !it.opts.strictTypes)
        return;
      checkContextTypes(it, types);
      if (!it.opts.allowUnionTypes)
        checkMultipleTypes(it, types);
      checkKeywordTypes(it, it.dataTypes);
    }
    function checkContextTypes(it, types) {
      if (!types.length)
        return;
      if (!it.dataTypes.length) {
        it.dataTypes = types;
        return;
      }
      types.forEach((t) => {
        if (!includesType(it.dataTypes, t)) {
          strictTypesError(it, `type "${t}" not allowed by context "${it.dataTypes.join(",")}"`);
        }
      });
      narrowSchemaTypes(it, types);
    }
    function checkMultipleTypes(it, ts) {
      if (ts.length > 1 && !(ts.length === 2 && ts.includes("null"))) {
        strictTypesError(it, "use allowUnionTypes to allow union type keyword");
      }
    }
    function checkKeywordTypes(it, ts) {
      const rules2 = it.self.RULES.all;
      for (const keyword in rules2) {
        const rule = rules2[keyword];
        if (typeof rule == "object" && (0, applicability_1.shouldUseRule)(it.schema, rule)) {
          const { type } = rule.definition;
          if (type.length && !type.some((t) => hasApplicableType(ts, t))) {
            strictTypesError(it, `missing type "${type.join(",")}" for keyword "${keyword}"`);
          }
        }
      }
    }
    function hasApplicableType(schTs, kwdT) {
      return schTs.includes(kwdT) || kwdT === "number" && schTs.includes("integer");
    }
    function includesType(ts, t) {
      return ts.includes(t) || t === "integer" && ts.includes("number");
    }
    function narrowSchemaTypes(it, withTypes) {
      const ts = [];
      for (const t of it.dataTypes) {
        if (includesType(withTypes, t))
          ts.push(t);
        else if (withTypes.includes("integer") && t === "number")
          ts.push("integer");
      }
      it.dataTypes = ts;
    }
    function strictTypesError(it, msg) {
      const schemaPath = it.schemaEnv.baseId + it.errSchemaPath;
      msg += ` at "${schemaPath}" (strictTypes)`;
      (0, util_1.checkStrictMode)(it, msg, it.opts.strictTypes);
    }
    var KeywordCxt = class {
      constructor(it, def, keyword) {
        (0, keyword_1.validateKeywordUsage)(it, def, keyword);
        this.gen = it.gen;
        this.allErrors = it.allErrors;
        this.keyword = keyword;
        this.data = it.data;
        this.schema = it.schema[keyword];
        this.$data = def.$data && it.opts.$data && this.schema && this.schema.$data;
        this.schemaValue = (0, util_1.schemaRefOrVal)(it, this.schema, keyword, this.$data);
        this.schemaType = def.schemaType;
        this.parentSchema = it.schema;
        this.params = {};
        this.it = it;
        this.def = def;
        if (this.$data) {
          this.schemaCode = it.gen.const("vSchema", getData(this.$data, it));
        } else {
          this.schemaCode = this.schemaValue;
          if (!(0, keyword_1.validSchemaType)(this.schema, def.schemaType, def.allowUndefined)) {
            throw new Error(`${keyword} value must be ${JSON.stringify(def.schemaType)}`);
          }
        }
        if ("code" in def ? def.trackErrors : def.errors !== false) {
          this.errsCount = it.gen.const("_errs", names_1.default.errors);
        }
      }
      result(condition, successAction, failAction) {
        this.failResult((0, codegen_1.not)(condition), successAction, failAction);
      }
      failResult(condition, successAction, failAction) {
        this.gen.if(condition);
        if (failAction)
          failAction();
        else
          this.error();
        if (successAction) {
          this.gen.else();
          successAction();
          if (this.allErrors)
            this.gen.endIf();
        } else {
          if (this.allErrors)
            this.gen.endIf();
          else
            this.gen.else();
        }
      }
      pass(condition, failAction) {
        this.failResult((0, codegen_1.not)(condition), void 0, failAction);
      }
      fail(condition) {
        if (condition === void 0) {
          this.error();
          if (!this.allErrors)
            this.gen.if(false);
          return;
        }
        this.gen.if(condition);
        this.error();
        if (this.allErrors)
          this.gen.endIf();
        else
          this.gen.else();
      }
      fail$data(condition) {
        if (!this.$data)
          return this.fail(condition);
        const { schemaCode } = this;
        this.fail((0, codegen_1._)`${schemaCode} !== undefined && (${(0, codegen_1.or)(this.invalid$data(), condition)})`);
      }
      error(append, errorParams, errorPaths) {
        if (errorParams) {
          this.setParams(errorParams);
          this._error(append, errorPaths);
          this.setParams({});
          return;
        }
        this._error(append, errorPaths);
      }
      _error(append, errorPaths) {
        ;
        (append ? errors_1.reportExtraError : errors_1.reportError)(this, this.def.error, errorPaths);
      }
      $dataError() {
        (0, errors_1.reportError)(this, this.def.$dataError || errors_1.keyword$DataError);
      }
      reset() {
        if (this.errsCount === void 0)
          throw new Error('add "trackErrors" to keyword definition');
        (0, errors_1.resetErrorsCount)(this.gen, this.errsCount);
      }
      ok(cond) {
        if (!this.allErrors)
          this.gen.if(cond);
      }
      setParams(obj, assign) {
        if (assign)
          Object.assign(this.params, obj);
        else
          this.params = obj;
      }
      block$data(valid, codeBlock, $dataValid = codegen_1.nil) {
        this.gen.block(() => {
          this.check$data(valid, $dataValid);
          codeBlock();
        });
      }
      check$data(valid = codegen_1.nil, $dataValid = codegen_1.nil) {
        if (!this.$data)
          return;
        const { gen, schemaCode, schemaType, def } = this;
        gen.if((0, codegen_1.or)((0, codegen_1._)`${schemaCode} === undefined`, $dataValid));
        if (valid !== codegen_1.nil)
          gen.assign(valid, true);
        if (schemaType.length || def.validateSchema) {
          gen.elseIf(this.invalid$data());
          this.$dataError();
          if (valid !== codegen_1.nil)
            gen.assign(valid, false);
        }
        gen.else();
      }
      invalid$data() {
        const { gen, schemaCode, schemaType, def, it } = this;
        return (0, codegen_1.or)(wrong$DataType(), invalid$DataSchema());
        function wrong$DataType() {
          if (schemaType.length) {
            if (!(schemaCode instanceof codegen_1.Name))
              throw new Error("ajv implementation error");
            const st = Array.isArray(schemaType) ? schemaType : [schemaType];
            return (0, codegen_1._)`${(0, dataType_2.checkDataTypes)(st, schemaCode, it.opts.strictNumbers, dataType_2.DataType.Wrong)}`;
          }
          return codegen_1.nil;
        }
        function invalid$DataSchema() {
          if (def.validateSchema) {
            const validateSchemaRef = gen.scopeValue("validate$data", { ref: def.validateSchema });
            return (0, codegen_1._)`!${validateSchemaRef}(${schemaCode})`;
          }
          return codegen_1.nil;
        }
      }
      subschema(appl, valid) {
        const subschema = (0, subschema_1.getSubschema)(this.it, appl);
        (0, subschema_1.extendSubschemaData)(subschema, this.it, appl);
        (0, subschema_1.extendSubschemaMode)(subschema, appl);
        const nextContext = { ...this.it, ...subschema, items: void 0, props: void 0 };
        subschemaCode(nextContext, valid);
        return nextContext;
      }
      mergeEvaluated(schemaCxt, toName) {
        const { it, gen } = this;
        if (!it.opts.unevaluated)
          return;
        if (it.props !== true && schemaCxt.props !== void 0) {
          it.props = util_1.mergeEvaluated.props(gen, schemaCxt.props, it.props, toName);
        }
        if (it.items !== true && schemaCxt.items !== void 0) {
          it.items = util_1.mergeEvaluated.items(gen, schemaCxt.items, it.items, toName);
        }
      }
      mergeValidEvaluated(schemaCxt, valid) {
        const { it, gen } = this;
        if (it.opts.unevaluated && (it.props !== true || it.items !== true)) {
          gen.if(valid, () => this.mergeEvaluated(schemaCxt, codegen_1.Name));
          return true;
        }
      }
    };
    exports.KeywordCxt = KeywordCxt;
    function keywordCode(it, keyword, def, ruleType) {
      const cxt = new KeywordCxt(it, def, keyword);
      if ("code" in def) {
        def.code(cxt, ruleType);
      } else if (cxt.$data && def.validate) {
        (0, keyword_1.funcKeywordCode)(cxt, def);
      } else if ("macro" in def) {
        (0, keyword_1.macroKeywordCode)(cxt, def);
      } else if (def.compile || def.validate) {
        (0, keyword_1.funcKeywordCode)(cxt, def);
      }
    }
    var JSON_POINTER = /^\/(?:[^~]|~0|~1)*$/;
    var RELATIVE_JSON_POINTER = /^([0-9]+)(#|\/(?:[^~]|~0|~1)*)?$/;
    function getData($data, { dataLevel, dataNames, dataPathArr }) {
      let jsonPointer;
      let data;
      if ($data === "")
        return names_1.default.rootData;
      if ($data[0] === "/") {
        if (!JSON_POINTER.test($data))
          throw new Error(`Invalid JSON-pointer: ${$data}`);
        jsonPointer = $data;
        data = names_1.default.rootData;
      } else {
        const matches = RELATIVE_JSON_POINTER.exec($data);
        if (!matches)
          throw new Error(`Invalid JSON-pointer: ${$data}`);
        const up = +matches[1];
        jsonPointer = matches[2];
        if (jsonPointer === "#") {
          if (up >= dataLevel)
            throw new Error(errorMsg("property/index", up));
          return dataPathArr[dataLevel - up];
        }
        if (up > dataLevel)
          throw new Error(errorMsg("data", up));
        data = dataNames[dataLevel - up];
        if (!jsonPointer)
          return data;
      }
      let expr = data;
      const segments = jsonPointer.split("/");
      for (const segment of segments) {
        if (segment) {
          data = (0, codegen_1._)`${data}${(0, codegen_1.getProperty)((0, util_1.unescapeJsonPointer)(segment))}`;
          expr = (0, codegen_1._)`${expr} && ${data}`;
        }
      }
      return expr;
      function errorMsg(pointerType, up) {
        return `Cannot access ${pointerType} ${up} levels up, current level is ${dataLevel}`;
      }
    }
    exports.getData = getData;
  }
});

// node_modules/ajv/dist/runtime/validation_error.js
var require_validation_error = __commonJS({
  "node_modules/ajv/dist/runtime/validation_error.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var ValidationError = class extends Error {
      constructor(errors) {
        super("validation failed");
        this.errors = errors;
        this.ajv = this.validation = true;
      }
    };
    exports.default = ValidationError;
  }
});

// node_modules/ajv/dist/compile/ref_error.js
var require_ref_error = __commonJS({
  "node_modules/ajv/dist/compile/ref_error.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var resolve_1 = require_resolve();
    var MissingRefError = class extends Error {
      constructor(resolver, baseId, ref, msg) {
        super(msg || `can't resolve reference ${ref} from id ${baseId}`);
        this.missingRef = (0, resolve_1.resolveUrl)(resolver, baseId, ref);
        this.missingSchema = (0, resolve_1.normalizeId)((0, resolve_1.getFullPath)(resolver, this.missingRef));
      }
    };
    exports.default = MissingRefError;
  }
});

// node_modules/ajv/dist/compile/index.js
var require_compile = __commonJS({
  "node_modules/ajv/dist/compile/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.resolveSchema = exports.getCompilingSchema = exports.resolveRef = exports.compileSchema = exports.SchemaEnv = void 0;
    var codegen_1 = require_codegen();
    var validation_error_1 = require_validation_error();
    var names_1 = require_names();
    var resolve_1 = require_resolve();
    var util_1 = require_util();
    var validate_1 = require_validate();
    var SchemaEnv = class {
      constructor(env) {
        var _a;
        this.refs = {};
        this.dynamicAnchors = {};
        let schema;
        if (typeof env.schema == "object")
          schema = env.schema;
        this.schema = env.schema;
        this.schemaId = env.schemaId;
        this.root = env.root || this;
        this.baseId = (_a = env.baseId) !== null && _a !== void 0 ? _a : (0, resolve_1.normalizeId)(schema === null || schema === void 0 ? void 0 : schema[env.schemaId || "$id"]);
        this.schemaPath = env.schemaPath;
        this.localRefs = env.localRefs;
        this.meta = env.meta;
        this.$async = schema === null || schema === void 0 ? void 0 : schema.$async;
        this.refs = {};
      }
    };
    exports.SchemaEnv = SchemaEnv;
    function compileSchema(sch) {
      const _sch = getCompilingSchema.call(this, sch);
      if (_sch)
        return _sch;
      const rootId = (0, resolve_1.getFullPath)(this.opts.uriResolver, sch.root.baseId);
      const { es5, lines } = this.opts.code;
      const { ownProperties } = this.opts;
      const gen = new codegen_1.CodeGen(this.scope, { es5, lines, ownProperties });
      let _ValidationError;
      if (sch.$async) {
        _ValidationError = gen.scopeValue("Error", {
          ref: validation_error_1.default,
          code: (0, codegen_1._)`require("ajv/dist/runtime/validation_error").default`
        });
      }
      const validateName = gen.scopeName("validate");
      sch.validateName = validateName;
      const schemaCxt = {
        gen,
        allErrors: this.opts.allErrors,
        data: names_1.default.data,
        parentData: names_1.default.parentData,
        parentDataProperty: names_1.default.parentDataProperty,
        dataNames: [names_1.default.data],
        dataPathArr: [codegen_1.nil],
        // TODO can its length be used as dataLevel if nil is removed?
        dataLevel: 0,
        dataTypes: [],
        definedProperties: /* @__PURE__ */ new Set(),
        topSchemaRef: gen.scopeValue("schema", this.opts.code.source === true ? { ref: sch.schema, code: (0, codegen_1.stringify)(sch.schema) } : { ref: sch.schema }),
        validateName,
        ValidationError: _ValidationError,
        schema: sch.schema,
        schemaEnv: sch,
        rootId,
        baseId: sch.baseId || rootId,
        schemaPath: codegen_1.nil,
        errSchemaPath: sch.schemaPath || (this.opts.jtd ? "" : "#"),
        errorPath: (0, codegen_1._)`""`,
        opts: this.opts,
        self: this
      };
      let sourceCode;
      try {
        this._compilations.add(sch);
        (0, validate_1.validateFunctionCode)(schemaCxt);
        gen.optimize(this.opts.code.optimize);
        const validateCode = gen.toString();
        sourceCode = `${gen.scopeRefs(names_1.default.scope)}return ${validateCode}`;
        if (this.opts.code.process)
          sourceCode = this.opts.code.process(sourceCode, sch);
        const makeValidate = new Function(`${names_1.default.self}`, `${names_1.default.scope}`, sourceCode);
        const validate = makeValidate(this, this.scope.get());
        this.scope.value(validateName, { ref: validate });
        validate.errors = null;
        validate.schema = sch.schema;
        validate.schemaEnv = sch;
        if (sch.$async)
          validate.$async = true;
        if (this.opts.code.source === true) {
          validate.source = { validateName, validateCode, scopeValues: gen._values };
        }
        if (this.opts.unevaluated) {
          const { props, items } = schemaCxt;
          validate.evaluated = {
            props: props instanceof codegen_1.Name ? void 0 : props,
            items: items instanceof codegen_1.Name ? void 0 : items,
            dynamicProps: props instanceof codegen_1.Name,
            dynamicItems: items instanceof codegen_1.Name
          };
          if (validate.source)
            validate.source.evaluated = (0, codegen_1.stringify)(validate.evaluated);
        }
        sch.validate = validate;
        return sch;
      } catch (e) {
        delete sch.validate;
        delete sch.validateName;
        if (sourceCode)
          this.logger.error("Error compiling schema, function code:", sourceCode);
        throw e;
      } finally {
        this._compilations.delete(sch);
      }
    }
    exports.compileSchema = compileSchema;
    function resolveRef(root, baseId, ref) {
      var _a;
      ref = (0, resolve_1.resolveUrl)(this.opts.uriResolver, baseId, ref);
      const schOrFunc = root.refs[ref];
      if (schOrFunc)
        return schOrFunc;
      let _sch = resolve2.call(this, root, ref);
      if (_sch === void 0) {
        const schema = (_a = root.localRefs) === null || _a === void 0 ? void 0 : _a[ref];
        const { schemaId } = this.opts;
        if (schema)
          _sch = new SchemaEnv({ schema, schemaId, root, baseId });
      }
      if (_sch === void 0)
        return;
      return root.refs[ref] = inlineOrCompile.call(this, _sch);
    }
    exports.resolveRef = resolveRef;
    function inlineOrCompile(sch) {
      if ((0, resolve_1.inlineRef)(sch.schema, this.opts.inlineRefs))
        return sch.schema;
      return sch.validate ? sch : compileSchema.call(this, sch);
    }
    function getCompilingSchema(schEnv) {
      for (const sch of this._compilations) {
        if (sameSchemaEnv(sch, schEnv))
          return sch;
      }
    }
    exports.getCompilingSchema = getCompilingSchema;
    function sameSchemaEnv(s1, s2) {
      return s1.schema === s2.schema && s1.root === s2.root && s1.baseId === s2.baseId;
    }
    function resolve2(root, ref) {
      let sch;
      while (typeof (sch = this.refs[ref]) == "string")
        ref = sch;
      return sch || this.schemas[ref] || resolveSchema.call(this, root, ref);
    }
    function resolveSchema(root, ref) {
      const p = this.opts.uriResolver.parse(ref);
      const refPath = (0, resolve_1._getFullPath)(this.opts.uriResolver, p);
      let baseId = (0, resolve_1.getFullPath)(this.opts.uriResolver, root.baseId, void 0);
      if (Object.keys(root.schema).length > 0 && refPath === baseId) {
        return getJsonPointer.call(this, p, root);
      }
      const id = (0, resolve_1.normalizeId)(refPath);
      const schOrRef = this.refs[id] || this.schemas[id];
      if (typeof schOrRef == "string") {
        const sch = resolveSchema.call(this, root, schOrRef);
        if (typeof (sch === null || sch === void 0 ? void 0 : sch.schema) !== "object")
          return;
        return getJsonPointer.call(this, p, sch);
      }
      if (typeof (schOrRef === null || schOrRef === void 0 ? void 0 : schOrRef.schema) !== "object")
        return;
      if (!schOrRef.validate)
        compileSchema.call(this, schOrRef);
      if (id === (0, resolve_1.normalizeId)(ref)) {
        const { schema } = schOrRef;
        const { schemaId } = this.opts;
        const schId = schema[schemaId];
        if (schId)
          baseId = (0, resolve_1.resolveUrl)(this.opts.uriResolver, baseId, schId);
        return new SchemaEnv({ schema, schemaId, root, baseId });
      }
      return getJsonPointer.call(this, p, schOrRef);
    }
    exports.resolveSchema = resolveSchema;
    var PREVENT_SCOPE_CHANGE = /* @__PURE__ */ new Set([
      "properties",
      "patternProperties",
      "enum",
      "dependencies",
      "definitions"
    ]);
    function getJsonPointer(parsedRef, { baseId, schema, root }) {
      var _a;
      if (((_a = parsedRef.fragment) === null || _a === void 0 ? void 0 : _a[0]) !== "/")
        return;
      for (const part of parsedRef.fragment.slice(1).split("/")) {
        if (typeof schema === "boolean")
          return;
        const partSchema = schema[(0, util_1.unescapeFragment)(part)];
        if (partSchema === void 0)
          return;
        schema = partSchema;
        const schId = typeof schema === "object" && schema[this.opts.schemaId];
        if (!PREVENT_SCOPE_CHANGE.has(part) && schId) {
          baseId = (0, resolve_1.resolveUrl)(this.opts.uriResolver, baseId, schId);
        }
      }
      let env;
      if (typeof schema != "boolean" && schema.$ref && !(0, util_1.schemaHasRulesButRef)(schema, this.RULES)) {
        const $ref = (0, resolve_1.resolveUrl)(this.opts.uriResolver, baseId, schema.$ref);
        env = resolveSchema.call(this, root, $ref);
      }
      const { schemaId } = this.opts;
      env = env || new SchemaEnv({ schema, schemaId, root, baseId });
      if (env.schema !== env.root.schema)
        return env;
      return void 0;
    }
  }
});

// node_modules/ajv/dist/refs/data.json
var require_data = __commonJS({
  "node_modules/ajv/dist/refs/data.json"(exports, module2) {
    module2.exports = {
      $id: "https://raw.githubusercontent.com/ajv-validator/ajv/master/lib/refs/data.json#",
      description: "Meta-schema for $data reference (JSON AnySchema extension proposal)",
      type: "object",
      required: ["$data"],
      properties: {
        $data: {
          type: "string",
          anyOf: [{ format: "relative-json-pointer" }, { format: "json-pointer" }]
        }
      },
      additionalProperties: false
    };
  }
});

// node_modules/fast-uri/lib/utils.js
var require_utils = __commonJS({
  "node_modules/fast-uri/lib/utils.js"(exports, module2) {
    "use strict";
    var isUUID = RegExp.prototype.test.bind(/^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/iu);
    var isIPv4 = RegExp.prototype.test.bind(/^(?:(?:25[0-5]|2[0-4]\d|1\d{2}|[1-9]\d|\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d{2}|[1-9]\d|\d)$/u);
    var isPort = RegExp.prototype.test.bind(/^\d*$/u);
    var isHexPair = RegExp.prototype.test.bind(/^[\da-f]{2}$/iu);
    var isUnreserved = RegExp.prototype.test.bind(/^[\da-z\-._~]$/iu);
    var isPathCharacter = RegExp.prototype.test.bind(/^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/u);
    var isQueryFragmentCharacter = RegExp.prototype.test.bind(/^[A-Za-z0-9\-._~!$&'()*+,;=:@/?]$/u);
    var isUserinfoCharacter = RegExp.prototype.test.bind(/^[A-Za-z0-9\-._~!$&'()*+,;=:]$/u);
    var BYTE_HEX = new Array(256);
    {
      const HEX_DIGITS = "0123456789ABCDEF";
      for (let i2 = 0; i2 < 256; i2++) {
        BYTE_HEX[i2] = "%" + HEX_DIGITS[i2 >> 4] + HEX_DIGITS[i2 & 15];
      }
    }
    function percentEncodeNonAscii(cp) {
      if (cp < 2048) {
        return BYTE_HEX[192 | cp >> 6] + BYTE_HEX[128 | cp & 63];
      }
      if (cp < 65536) {
        return BYTE_HEX[224 | cp >> 12] + BYTE_HEX[128 | cp >> 6 & 63] + BYTE_HEX[128 | cp & 63];
      }
      return BYTE_HEX[240 | cp >> 18] + BYTE_HEX[128 | cp >> 12 & 63] + BYTE_HEX[128 | cp >> 6 & 63] + BYTE_HEX[128 | cp & 63];
    }
    function stringArrayToHexStripped(input) {
      let acc = "";
      let code = 0;
      let i2 = 0;
      for (i2 = 0; i2 < input.length; i2++) {
        code = input[i2].charCodeAt(0);
        if (code === 48) {
          continue;
        }
        if (!(code >= 48 && code <= 57 || code >= 65 && code <= 70 || code >= 97 && code <= 102)) {
          return "";
        }
        acc += input[i2];
        break;
      }
      for (i2 += 1; i2 < input.length; i2++) {
        code = input[i2].charCodeAt(0);
        if (!(code >= 48 && code <= 57 || code >= 65 && code <= 70 || code >= 97 && code <= 102)) {
          return "";
        }
        acc += input[i2];
      }
      return acc;
    }
    var isHextet = RegExp.prototype.test.bind(/^[\dA-Fa-f]{1,4}$/);
    var isIPvFuture = RegExp.prototype.test.bind(/^[vV][\dA-Fa-f]+\.[A-Za-z\d\-._~!$&'()*+,;=:]+$/);
    var isZoneCharacter = RegExp.prototype.test.bind(/^[A-Za-z\d\-._~]$/);
    var nonSimpleDomain = RegExp.prototype.test.bind(/[^!"$&'()*+,\-.;=_`a-z{}~]/u);
    function isZoneIdentifier(zone) {
      if (zone.length === 0) return false;
      for (let i2 = 0; i2 < zone.length; i2++) {
        if (isZoneCharacter(zone[i2])) continue;
        if (zone[i2] === "%" && i2 + 2 < zone.length && isHexPair(zone.slice(i2 + 1, i2 + 3))) {
          i2 += 2;
          continue;
        }
        return false;
      }
      return true;
    }
    function compressIPv6ZeroRun(hextets) {
      let bestStart = -1;
      let bestLength = 0;
      let runStart = -1;
      let runLength = 0;
      for (let i2 = 0; i2 < hextets.length; i2++) {
        if (hextets[i2] === "0") {
          if (runStart === -1) runStart = i2;
          runLength++;
          if (runLength > bestLength) {
            bestLength = runLength;
            bestStart = runStart;
          }
        } else {
          runStart = -1;
          runLength = 0;
        }
      }
      if (bestLength < 2) return hextets.join(":");
      const head = hextets.slice(0, bestStart).join(":");
      const tail = hextets.slice(bestStart + bestLength).join(":");
      return head + "::" + tail;
    }
    function normalizeIPv6Address(input) {
      const compression = input.indexOf("::");
      if (compression !== -1 && input.indexOf("::", compression + 1) !== -1) return void 0;
      const left = compression === -1 ? input.split(":") : input.slice(0, compression).split(":");
      const right = compression === -1 ? [] : input.slice(compression + 2).split(":");
      if (compression !== -1) {
        if (left.length === 1 && left[0] === "") left.length = 0;
        if (right.length === 1 && right[0] === "") right.length = 0;
      }
      const parts2 = left.concat(right);
      let hextetCount = 0;
      for (let i2 = 0; i2 < parts2.length; i2++) {
        const part = parts2[i2];
        if (part === "") return void 0;
        if (part.indexOf(".") !== -1) {
          if (i2 !== parts2.length - 1 || compression !== -1 && right.length === 0 || !isIPv4(part)) return void 0;
          hextetCount += 2;
          continue;
        }
        if (!isHextet(part)) return void 0;
        parts2[i2] = parseInt(part, 16).toString(16);
        hextetCount++;
      }
      if (compression === -1) {
        if (hextetCount !== 8) return void 0;
        return compressIPv6ZeroRun(parts2);
      }
      if (hextetCount >= 8) return void 0;
      const expanded = parts2.slice(0, left.length);
      for (let i2 = hextetCount; i2 < 8; i2++) expanded.push("0");
      for (let i2 = left.length; i2 < parts2.length; i2++) expanded.push(parts2[i2]);
      return compressIPv6ZeroRun(expanded);
    }
    function normalizeIPv6(host) {
      const bracketed = host[0] === "[" && host[host.length - 1] === "]";
      const hasBracket = host[0] === "[" || host[host.length - 1] === "]";
      if (hasBracket && !bracketed) return { host, isIPV6: false, error: true };
      let input = bracketed ? host.slice(1, -1) : host;
      if (bracketed && isIPvFuture(input)) {
        input = input.toLowerCase();
        return { host: `[${input}]`, escapedHost: input, isIPV6: false, isIPVFuture: true };
      }
      if (findToken(input, ":") < 2) {
        return { host, isIPV6: false, error: bracketed };
      }
      let zoneIdentifier = "";
      const zoneSeparator = input.indexOf("%");
      if (zoneSeparator !== -1) {
        const separatorLength = input.slice(zoneSeparator, zoneSeparator + 3).toLowerCase() === "%25" ? 3 : 1;
        zoneIdentifier = input.slice(zoneSeparator + separatorLength);
        if (!isZoneIdentifier(zoneIdentifier)) return { host, isIPV6: false, error: true };
        input = input.slice(0, zoneSeparator);
      }
      const address = normalizeIPv6Address(input);
      if (address === void 0) return { host, isIPV6: false, error: true };
      return {
        host: address + (zoneIdentifier ? "%" + zoneIdentifier : ""),
        escapedHost: address + (zoneIdentifier ? "%25" + zoneIdentifier : ""),
        isIPV6: true
      };
    }
    function findToken(str, token) {
      let ind = 0;
      for (let i2 = 0; i2 < str.length; i2++) {
        if (str[i2] === token) ind++;
      }
      return ind;
    }
    function removeDotSegments(path11) {
      let input = path11;
      const output = [];
      let nextSlash = -1;
      let len = 0;
      while (len = input.length) {
        if (len === 1) {
          if (input === ".") {
            break;
          } else if (input === "/") {
            output.push("/");
            break;
          } else {
            output.push(input);
            break;
          }
        } else if (len === 2) {
          if (input[0] === ".") {
            if (input[1] === ".") {
              break;
            } else if (input[1] === "/") {
              input = input.slice(2);
              continue;
            }
          } else if (input[0] === "/") {
            if (input[1] === "." || input[1] === "/") {
              output.push("/");
              break;
            }
          }
        } else if (len === 3) {
          if (input === "/..") {
            if (output.length !== 0) {
              output.pop();
            }
            output.push("/");
            break;
          }
        }
        if (input[0] === ".") {
          if (input[1] === ".") {
            if (input[2] === "/") {
              input = input.slice(3);
              continue;
            }
          } else if (input[1] === "/") {
            input = input.slice(2);
            continue;
          }
        } else if (input[0] === "/") {
          if (input[1] === ".") {
            if (input[2] === "/") {
              input = input.slice(2);
              continue;
            } else if (input[2] === ".") {
              if (input[3] === "/") {
                input = input.slice(3);
                if (output.length !== 0) {
                  output.pop();
                }
                continue;
              }
            }
          }
        }
        if ((nextSlash = input.indexOf("/", 1)) === -1) {
          output.push(input);
          break;
        } else {
          output.push(input.slice(0, nextSlash));
          input = input.slice(nextSlash);
        }
      }
      return output.join("");
    }
    function removeDotSegmentsRelative(path11) {
      if (path11 === "" || path11[0] === "/") {
        return removeDotSegments(path11);
      }
      const segments = path11.split("/");
      const last = segments.length - 1;
      const output = [];
      let trailingDirectory = false;
      for (let i2 = 0; i2 <= last; i2++) {
        const segment = segments[i2];
        if (segment === "." || segment === "..") {
          if (segment === "..") {
            if (output.length !== 0 && output[output.length - 1] !== "..") {
              output.pop();
            } else {
              output.push("..");
            }
          }
          trailingDirectory = i2 === last;
        } else {
          output.push(segment);
        }
      }
      if (trailingDirectory && output[output.length - 1] !== "..") {
        output.push("");
      }
      if (output.length === 0 || output[0] === "" || output[0].includes(":")) {
        output.unshift(".");
      }
      return output.join("/");
    }
    var HOST_DELIMS = { "@": "%40", "/": "%2F", "?": "%3F", "#": "%23", ":": "%3A" };
    var HOST_DELIM_RE = /[@/?#:]/g;
    var HOST_DELIM_NO_COLON_RE = /[@/?#]/g;
    function reescapeHostDelimiters(host, isIP) {
      const re = isIP ? HOST_DELIM_NO_COLON_RE : HOST_DELIM_RE;
      re.lastIndex = 0;
      return host.replace(re, (ch) => HOST_DELIMS[ch]);
    }
    function normalizePercentEncoding(input, decodeUnreserved = false) {
      if (input.indexOf("%") === -1) {
        return input;
      }
      let output = "";
      for (let i2 = 0; i2 < input.length; i2++) {
        if (input[i2] === "%" && i2 + 2 < input.length) {
          const hex = input.slice(i2 + 1, i2 + 3);
          if (isHexPair(hex)) {
            const normalizedHex = hex.toUpperCase();
            const decoded = String.fromCharCode(parseInt(normalizedHex, 16));
            if (decodeUnreserved && isUnreserved(decoded)) {
              output += decoded;
            } else {
              output += "%" + normalizedHex;
            }
            i2 += 2;
            continue;
          }
        }
        output += input[i2];
      }
      return output;
    }
    function normalizePathEncoding(input) {
      let output = "";
      for (let i2 = 0; i2 < input.length; i2++) {
        const ch = input[i2];
        if (ch === "%" && i2 + 2 < input.length) {
          const hex = input.slice(i2 + 1, i2 + 3);
          if (isHexPair(hex)) {
            const normalizedHex = hex.toUpperCase();
            const decoded = String.fromCharCode(parseInt(normalizedHex, 16));
            if (decoded !== "." && isUnreserved(decoded)) {
              output += decoded;
            } else {
              output += "%" + normalizedHex;
            }
            i2 += 2;
            continue;
          }
        }
        if (isPathCharacter(ch)) {
          output += ch;
        } else {
          const code = input.charCodeAt(i2);
          if (code < 128) {
            output += isEscapeSafe(code) ? ch : BYTE_HEX[code];
          } else if (code < 55296 || code > 57343) {
            output += percentEncodeNonAscii(code);
          } else if (code <= 56319 && i2 + 1 < input.length) {
            const low = input.charCodeAt(i2 + 1);
            if (low >= 56320 && low <= 57343) {
              output += percentEncodeNonAscii(65536 + (code - 55296 << 10) + (low - 56320));
              i2++;
            } else {
              output += percentEncodeNonAscii(65533);
            }
          } else {
            output += percentEncodeNonAscii(65533);
          }
        }
      }
      return output;
    }
    function serializePathEncoding(input, pathNoScheme = false) {
      let output = "";
      let firstSegment = pathNoScheme && input[0] !== "/";
      for (let i2 = 0; i2 < input.length; i2++) {
        const ch = input[i2];
        if (ch === "%" && i2 + 2 < input.length) {
          const hex = input.slice(i2 + 1, i2 + 3);
          if (isHexPair(hex)) {
            output += "%" + hex.toUpperCase();
            i2 += 2;
            continue;
          }
        }
        if (ch === "/") {
          firstSegment = false;
        }
        if (isPathCharacter(ch) && (ch !== ":" || !firstSegment)) {
          output += ch;
        } else {
          const code = input.charCodeAt(i2);
          if (code < 128) {
            output += BYTE_HEX[code];
          } else if (code < 55296 || code > 57343) {
            output += percentEncodeNonAscii(code);
          } else if (code <= 56319 && i2 + 1 < input.length) {
            const low = input.charCodeAt(i2 + 1);
            if (low >= 56320 && low <= 57343) {
              output += percentEncodeNonAscii(65536 + (code - 55296 << 10) + (low - 56320));
              i2++;
            } else {
              output += percentEncodeNonAscii(65533);
            }
          } else {
            output += percentEncodeNonAscii(65533);
          }
        }
      }
      return output;
    }
    function encodeComponent(input, isAllowed) {
      let output = "";
      for (let i2 = 0; i2 < input.length; i2++) {
        const ch = input[i2];
        if (ch === "%" && i2 + 2 < input.length) {
          const hex = input.slice(i2 + 1, i2 + 3);
          if (isHexPair(hex)) {
            output += "%" + hex.toUpperCase();
            i2 += 2;
            continue;
          }
        }
        if (isAllowed(ch)) {
          output += ch;
        } else {
          const code = input.charCodeAt(i2);
          if (code < 128) {
            output += BYTE_HEX[code];
          } else if (code < 55296 || code > 57343) {
            output += percentEncodeNonAscii(code);
          } else if (code <= 56319 && i2 + 1 < input.length) {
            const low = input.charCodeAt(i2 + 1);
            if (low >= 56320 && low <= 57343) {
              output += percentEncodeNonAscii(65536 + (code - 55296 << 10) + (low - 56320));
              i2++;
            } else {
              output += percentEncodeNonAscii(65533);
            }
          } else {
            output += percentEncodeNonAscii(65533);
          }
        }
      }
      return output;
    }
    function encodeUserinfo(input) {
      return encodeComponent(input, isUserinfoCharacter);
    }
    function encodeQuery(input) {
      return encodeComponent(input, isQueryFragmentCharacter);
    }
    function encodeFragment(input) {
      return encodeComponent(input, isQueryFragmentCharacter);
    }
    function isEscapeSafe(cp) {
      return cp >= 48 && cp <= 57 || cp >= 65 && cp <= 90 || cp >= 97 && cp <= 122 || cp === 42 || cp === 43 || cp === 45 || cp === 46 || cp === 47 || cp === 64 || cp === 95;
    }
    function normalizeQueryFragmentEncoding(input) {
      let output = "";
      for (let i2 = 0; i2 < input.length; i2++) {
        const ch = input[i2];
        if (ch === "%" && i2 + 2 < input.length) {
          const hex = input.slice(i2 + 1, i2 + 3);
          if (isHexPair(hex)) {
            const normalizedHex = hex.toUpperCase();
            const decoded = String.fromCharCode(parseInt(normalizedHex, 16));
            if (isUnreserved(decoded)) {
              output += decoded;
            } else {
              output += "%" + normalizedHex;
            }
            i2 += 2;
            continue;
          }
        }
        if (isQueryFragmentCharacter(ch)) {
          output += ch;
        } else {
          const code = input.charCodeAt(i2);
          if (code < 128) {
            output += isEscapeSafe(code) ? ch : BYTE_HEX[code];
          } else if (code < 55296 || code > 57343) {
            output += percentEncodeNonAscii(code);
          } else if (code <= 56319 && i2 + 1 < input.length) {
            const low = input.charCodeAt(i2 + 1);
            if (low >= 56320 && low <= 57343) {
              output += percentEncodeNonAscii(65536 + (code - 55296 << 10) + (low - 56320));
              i2++;
            } else {
              output += percentEncodeNonAscii(65533);
            }
          } else {
            output += percentEncodeNonAscii(65533);
          }
        }
      }
      return output;
    }
    function escapePreservingEscapes(input) {
      let output = "";
      for (let i2 = 0; i2 < input.length; i2++) {
        if (input[i2] === "%" && i2 + 2 < input.length) {
          const hex = input.slice(i2 + 1, i2 + 3);
          if (isHexPair(hex)) {
            output += "%" + hex.toUpperCase();
            i2 += 2;
            continue;
          }
        }
        output += escape(input[i2]);
      }
      return output;
    }
    function recomposeAuthority(component) {
      const uriTokens = [];
      if (component.userinfo !== void 0) {
        uriTokens.push(encodeUserinfo(component.userinfo));
        uriTokens.push("@");
      }
      if (component.host !== void 0) {
        let host = component.host;
        if (!isIPv4(host)) {
          let ipV6res = normalizeIPv6(host);
          if (ipV6res.isIPV6 !== true && ipV6res.isIPVFuture !== true) {
            host = normalizePercentEncoding(host, true);
            ipV6res = normalizeIPv6(host);
          }
          if (ipV6res.isIPV6 === true || ipV6res.isIPVFuture === true) {
            host = `[${ipV6res.escapedHost}]`;
          } else {
            host = reescapeHostDelimiters(host, false);
          }
        }
        uriTokens.push(host);
      }
      if (typeof component.port === "number" || typeof component.port === "string") {
        const port = String(component.port);
        if (!isPort(port)) {
          throw new TypeError("URI port is malformed.");
        }
        uriTokens.push(":");
        uriTokens.push(port);
      }
      return uriTokens.length ? uriTokens.join("") : void 0;
    }
    module2.exports = {
      nonSimpleDomain,
      recomposeAuthority,
      reescapeHostDelimiters,
      normalizePercentEncoding,
      normalizePathEncoding,
      serializePathEncoding,
      normalizeQueryFragmentEncoding,
      encodeUserinfo,
      encodeQuery,
      encodeFragment,
      escapePreservingEscapes,
      removeDotSegments,
      removeDotSegmentsRelative,
      isIPv4,
      isUUID,
      normalizeIPv6,
      stringArrayToHexStripped
    };
  }
});

// node_modules/fast-uri/lib/schemes.js
var require_schemes = __commonJS({
  "node_modules/fast-uri/lib/schemes.js"(exports, module2) {
    "use strict";
    var { isUUID } = require_utils();
    var URN_REG = /^([\da-z][\d\-a-z]{0,31}):((?:[\w!$'()*+,\-./:;=@]|%[\da-f]{2})+)$/iu;
    var supportedSchemeNames = (
      /** @type {const} */
      [
        "http",
        "https",
        "ws",
        "wss",
        "urn",
        "urn:uuid"
      ]
    );
    function isValidSchemeName(name2) {
      return supportedSchemeNames.indexOf(
        /** @type {*} */
        name2
      ) !== -1;
    }
    function wsIsSecure(wsComponent) {
      if (wsComponent.secure === true) {
        return true;
      } else if (wsComponent.secure === false) {
        return false;
      } else if (wsComponent.scheme) {
        return wsComponent.scheme.length === 3 && (wsComponent.scheme[0] === "w" || wsComponent.scheme[0] === "W") && (wsComponent.scheme[1] === "s" || wsComponent.scheme[1] === "S") && (wsComponent.scheme[2] === "s" || wsComponent.scheme[2] === "S");
      } else {
        return false;
      }
    }
    function httpParse(component) {
      if (!component.host) {
        component.error = component.error || "HTTP URIs must have a host.";
      }
      return component;
    }
    function httpSerialize(component) {
      const secure = String(component.scheme).toLowerCase() === "https";
      if (component.port === (secure ? 443 : 80) || component.port === "") {
        component.port = void 0;
      }
      if (!component.path) {
        component.path = "/";
      }
      return component;
    }
    function wsParse(wsComponent) {
      wsComponent.secure = wsIsSecure(wsComponent);
      wsComponent.resourceName = (wsComponent.path || "/") + (wsComponent.query ? "?" + wsComponent.query : "");
      wsComponent.path = void 0;
      wsComponent.query = void 0;
      return wsComponent;
    }
    function wsSerialize(wsComponent) {
      if (wsComponent.port === (wsIsSecure(wsComponent) ? 443 : 80) || wsComponent.port === "") {
        wsComponent.port = void 0;
      }
      if (typeof wsComponent.secure === "boolean") {
        wsComponent.scheme = wsComponent.secure ? "wss" : "ws";
        wsComponent.secure = void 0;
      }
      if (wsComponent.resourceName) {
        const queryIndex = wsComponent.resourceName.indexOf("?");
        const path11 = queryIndex === -1 ? wsComponent.resourceName : wsComponent.resourceName.slice(0, queryIndex);
        wsComponent.path = path11 && path11 !== "/" ? path11 : void 0;
        wsComponent.query = queryIndex === -1 ? void 0 : wsComponent.resourceName.slice(queryIndex + 1);
        wsComponent.resourceName = void 0;
      }
      wsComponent.fragment = void 0;
      return wsComponent;
    }
    function urnParse(urnComponent, options) {
      if (!urnComponent.path) {
        urnComponent.error = "URN can not be parsed";
        return urnComponent;
      }
      const matches = urnComponent.path.match(URN_REG);
      if (matches && matches[0] === urnComponent.path) {
        const scheme = options.scheme || urnComponent.scheme || "urn";
        urnComponent.nid = matches[1].toLowerCase();
        urnComponent.nss = matches[2];
        const urnScheme = `${scheme}:${options.nid || urnComponent.nid}`;
        const schemeHandler = getSchemeHandler(urnScheme);
        urnComponent.path = void 0;
        if (schemeHandler) {
          urnComponent = schemeHandler.parse(urnComponent, options);
        }
      } else {
        urnComponent.error = urnComponent.error || "URN can not be parsed.";
      }
      return urnComponent;
    }
    function urnSerialize(urnComponent, options) {
      if (urnComponent.nid === void 0) {
        throw new Error("URN without nid cannot be serialized");
      }
      const scheme = options.scheme || urnComponent.scheme || "urn";
      const nid = urnComponent.nid.toLowerCase();
      const urnScheme = `${scheme}:${options.nid || nid}`;
      const schemeHandler = getSchemeHandler(urnScheme);
      if (schemeHandler) {
        urnComponent = schemeHandler.serialize(urnComponent, options);
      }
      const uriComponent = urnComponent;
      const nss = urnComponent.nss;
      uriComponent.path = `${nid || options.nid}:${nss}`;
      options.skipEscape = true;
      return uriComponent;
    }
    function urnuuidParse(urnComponent, options) {
      const uuidComponent = urnComponent;
      uuidComponent.uuid = uuidComponent.nss;
      uuidComponent.nss = void 0;
      if (!options.tolerant && (!uuidComponent.uuid || !isUUID(uuidComponent.uuid))) {
        uuidComponent.error = uuidComponent.error || "UUID is not valid.";
      }
      return uuidComponent;
    }
    function urnuuidSerialize(uuidComponent) {
      const urnComponent = uuidComponent;
      urnComponent.nss = (uuidComponent.uuid || "").toLowerCase();
      return urnComponent;
    }
    var http = (
      /** @type {SchemeHandler} */
      {
        scheme: "http",
        domainHost: true,
        parse: httpParse,
        serialize: httpSerialize
      }
    );
    var https = (
      /** @type {SchemeHandler} */
      {
        scheme: "https",
        domainHost: http.domainHost,
        parse: httpParse,
        serialize: httpSerialize
      }
    );
    var ws = (
      /** @type {SchemeHandler} */
      {
        scheme: "ws",
        domainHost: true,
        parse: wsParse,
        serialize: wsSerialize
      }
    );
    var wss = (
      /** @type {SchemeHandler} */
      {
        scheme: "wss",
        domainHost: ws.domainHost,
        parse: ws.parse,
        serialize: ws.serialize
      }
    );
    var urn = (
      /** @type {SchemeHandler} */
      {
        scheme: "urn",
        parse: urnParse,
        serialize: urnSerialize,
        skipNormalize: true
      }
    );
    var urnuuid = (
      /** @type {SchemeHandler} */
      {
        scheme: "urn:uuid",
        parse: urnuuidParse,
        serialize: urnuuidSerialize,
        skipNormalize: true
      }
    );
    var SCHEMES = (
      /** @type {Record<SchemeName, SchemeHandler>} */
      {
        http,
        https,
        ws,
        wss,
        urn,
        "urn:uuid": urnuuid
      }
    );
    Object.setPrototypeOf(SCHEMES, null);
    function getSchemeHandler(scheme) {
      return scheme && (SCHEMES[
        /** @type {SchemeName} */
        scheme
      ] || SCHEMES[
        /** @type {SchemeName} */
        scheme.toLowerCase()
      ]) || void 0;
    }
    module2.exports = {
      wsIsSecure,
      SCHEMES,
      isValidSchemeName,
      getSchemeHandler
    };
  }
});

// node_modules/fast-uri/index.js
var require_fast_uri = __commonJS({
  "node_modules/fast-uri/index.js"(exports, module2) {
    "use strict";
    var { normalizeIPv6, removeDotSegments, removeDotSegmentsRelative, recomposeAuthority, normalizePercentEncoding, normalizePathEncoding, serializePathEncoding, normalizeQueryFragmentEncoding, encodeQuery, encodeFragment, reescapeHostDelimiters, isIPv4, nonSimpleDomain } = require_utils();
    var { SCHEMES, getSchemeHandler } = require_schemes();
    var VALID_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/u;
    var MALFORMED_SCHEME_ERROR = "URI scheme is malformed.";
    var MALFORMED_HOST_ERROR = "URI host is malformed.";
    var FORBIDDEN_DOMAIN_HOST_CHARACTER = /[\0-\x20"#/:<>?@[\\\]^`{|}\x7F]/u;
    function validateScheme(scheme) {
      const stringScheme = String(scheme);
      if (!VALID_SCHEME.test(stringScheme)) {
        throw new TypeError(MALFORMED_SCHEME_ERROR);
      }
      return stringScheme;
    }
    function normalize2(uri, options) {
      if (typeof uri === "string") {
        uri = /** @type {T} */
        normalizeString(uri, options);
      } else if (typeof uri === "object") {
        uri = /** @type {T} */
        parse(serialize(uri, options), options);
      }
      return uri;
    }
    function resolve2(baseURI, relativeURI, options) {
      const schemelessOptions = options ? Object.assign({ scheme: "null" }, options) : { scheme: "null" };
      const {
        parsed: baseParsed,
        malformedAuthorityOrPort: baseMalformed,
        malformedPercentEncoding: baseMalformedPercentEncoding,
        malformedSchemeSpecific: baseMalformedSchemeSpecific,
        malformedHost: baseMalformedHost,
        malformedScheme: baseMalformedScheme
      } = parseWithStatus(baseURI, schemelessOptions);
      const {
        parsed: relativeParsed,
        malformedAuthorityOrPort: relativeMalformed,
        malformedPercentEncoding: relativeMalformedPercentEncoding,
        malformedSchemeSpecific: relativeMalformedSchemeSpecific,
        malformedHost: relativeMalformedHost,
        malformedScheme: relativeMalformedScheme
      } = parseWithStatus(relativeURI, schemelessOptions);
      if (baseMalformed || relativeMalformed || baseMalformedPercentEncoding || relativeMalformedPercentEncoding || baseMalformedSchemeSpecific || relativeMalformedSchemeSpecific || baseMalformedHost || relativeMalformedHost || baseMalformedScheme || relativeMalformedScheme) {
        throw new Error(baseParsed.error || relativeParsed.error || "URI is malformed.");
      }
      const resolved = resolveComponent(baseParsed, relativeParsed, schemelessOptions, true);
      const resolvedSchemeHandler = getSchemeHandler(options && options.scheme || resolved.scheme);
      const resolvedHost = resolved.host;
      const resolvedHostIsIP = resolvedHost !== void 0 && resolvedHost !== "" && (isIPv4(resolvedHost) || normalizeIPv6(resolvedHost).isIPV6);
      if (hasForbiddenDomainHost(resolved, options || {}, resolvedSchemeHandler, resolvedHostIsIP)) {
        throw new Error(MALFORMED_HOST_ERROR);
      }
      canonicalizeHost(resolved, options || {}, resolvedSchemeHandler, resolvedHostIsIP);
      const encodedASCIIHost = resolvedHost && resolvedHost.indexOf("%") !== -1 && !new RegExp("\\P{ASCII}", "u").test(resolvedHost);
      if (resolved.error && !encodedASCIIHost) {
        throw new Error(resolved.error);
      }
      schemelessOptions.skipEscape = true;
      return serialize(resolved, schemelessOptions);
    }
    function resolveComponent(base, relative2, options, skipNormalization) {
      const target = {};
      if (!skipNormalization) {
        base = parse(serialize(base, options), options);
        relative2 = parse(serialize(relative2, options), options);
      }
      options = options || {};
      if (!options.tolerant && relative2.scheme) {
        target.scheme = relative2.scheme;
        target.userinfo = relative2.userinfo;
        target.host = relative2.host;
        target.port = relative2.port;
        target.path = removeDotSegments(relative2.path || "");
        target.query = relative2.query;
      } else {
        if (relative2.userinfo !== void 0 || relative2.host !== void 0 || relative2.port !== void 0) {
          target.userinfo = relative2.userinfo;
          target.host = relative2.host;
          target.port = relative2.port;
          target.path = removeDotSegments(relative2.path || "");
          target.query = relative2.query;
        } else {
          if (!relative2.path) {
            target.path = base.path;
            if (relative2.query !== void 0) {
              target.query = relative2.query;
            } else {
              target.query = base.query;
            }
          } else {
            if (relative2.path[0] === "/") {
              target.path = removeDotSegments(relative2.path);
            } else {
              const baseHasAuthority = base.userinfo !== void 0 || base.host !== void 0 || base.port !== void 0;
              if (baseHasAuthority && !base.path) {
                target.path = "/" + relative2.path;
              } else if (!base.path) {
                target.path = relative2.path;
              } else {
                target.path = base.path.slice(0, base.path.lastIndexOf("/") + 1) + relative2.path;
              }
              target.path = base.scheme === void 0 && !baseHasAuthority && target.path[0] !== "/" ? removeDotSegmentsRelative(target.path) : removeDotSegments(target.path);
            }
            target.query = relative2.query;
          }
          target.userinfo = base.userinfo;
          target.host = base.host;
          target.port = base.port;
        }
        target.scheme = base.scheme;
      }
      target.fragment = relative2.fragment;
      return target;
    }
    function equal(uriA, uriB, options) {
      const normalizedA = normalizeComparableURI(uriA, options);
      const normalizedB = normalizeComparableURI(uriB, options);
      return normalizedA !== void 0 && normalizedB !== void 0 && normalizedA === normalizedB;
    }
    function serialize(cmpts, opts2) {
      const component = {
        host: cmpts.host,
        scheme: cmpts.scheme,
        userinfo: cmpts.userinfo,
        port: cmpts.port,
        path: cmpts.path,
        query: cmpts.query,
        nid: cmpts.nid,
        nss: cmpts.nss,
        uuid: cmpts.uuid,
        fragment: cmpts.fragment,
        reference: cmpts.reference,
        resourceName: cmpts.resourceName,
        secure: cmpts.secure,
        error: ""
      };
      const options = Object.assign({}, opts2);
      const uriTokens = [];
      if (component.scheme) {
        component.scheme = validateScheme(component.scheme);
      }
      const schemeHandler = getSchemeHandler(options.scheme || component.scheme);
      if (schemeHandler && schemeHandler.serialize) schemeHandler.serialize(component, options);
      const hasAuthority = component.userinfo !== void 0 || component.host !== void 0 || component.port !== void 0;
      const schemelessReference = (component.scheme === void 0 || options.reference === "suffix") && !hasAuthority;
      const pathNoScheme = !options.skipEscape && schemelessReference;
      if (component.path !== void 0) {
        if (!options.skipEscape) {
          component.path = serializePathEncoding(component.path, pathNoScheme);
        } else {
          component.path = normalizePercentEncoding(component.path);
        }
      }
      if (options.reference !== "suffix" && component.scheme) {
        component.scheme = validateScheme(component.scheme);
        uriTokens.push(component.scheme, ":");
      }
      const authority = recomposeAuthority(component);
      if (authority !== void 0) {
        if (options.reference !== "suffix") {
          uriTokens.push("//");
        }
        uriTokens.push(authority);
        if (component.path && component.path[0] !== "/") {
          uriTokens.push("/");
        }
      }
      if (component.path !== void 0) {
        let s = component.path;
        if (!options.absolutePath && (!schemeHandler || !schemeHandler.absolutePath)) {
          s = schemelessReference && s[0] !== "/" ? removeDotSegmentsRelative(s) : removeDotSegments(s);
        }
        if (schemelessReference) {
          s = serializePathEncoding(s, true);
        }
        if (authority === void 0 && s[0] === "/" && s[1] === "/") {
          s = "/%2F" + s.slice(2);
        }
        uriTokens.push(s);
      }
      if (component.query !== void 0) {
        uriTokens.push("?", encodeQuery(component.query));
      }
      if (component.fragment !== void 0) {
        uriTokens.push("#", encodeFragment(component.fragment));
      }
      return uriTokens.join("");
    }
    var URI_PARSE = /^(?:([^#/:?]+):)?(?:\/\/((?:([^#/?@]*)@)?(\[[^#/?\]]+\]|[^#/:?]*)(?::(\d*))?))?([^#?]*)(?:\?([^#]*))?(?:#((?:.|[\n\r])*))?/u;
    var AUTHORITY_PREFIX = /^(?:[^#/:?]+:)?\/\/([^/?#]*)/;
    var AUTHORITY_INTRODUCER_REGION = /^(?:[^#/:?]+:)?([/\\\t\n\r]*)/;
    function getParseError(parsed, matches) {
      if (matches[2] !== void 0 && parsed.path && parsed.path[0] !== "/") {
        return 'URI path must start with "/" when authority is present.';
      }
      if (typeof parsed.port === "number" && (parsed.port < 0 || parsed.port > 65535)) {
        return "URI port is malformed.";
      }
      return void 0;
    }
    function hasMalformedPercentEncoding(component) {
      if (component === void 0) return false;
      let percent = component.indexOf("%");
      while (percent !== -1) {
        if (percent + 2 >= component.length || !/^[\da-f]{2}$/iu.test(component.slice(percent + 1, percent + 3))) {
          return true;
        }
        percent = component.indexOf("%", percent + 3);
      }
      return false;
    }
    function isIPLiteral(host) {
      return host[0] === "[" && host[host.length - 1] === "]";
    }
    function hasMalformedComponentPercentEncoding(matches) {
      const host = matches[4];
      return hasMalformedPercentEncoding(matches[3]) || host !== void 0 && !isIPLiteral(host) && hasMalformedPercentEncoding(host) || hasMalformedPercentEncoding(matches[6]) || hasMalformedPercentEncoding(matches[7]) || hasMalformedPercentEncoding(matches[8]);
    }
    function canonicalizeHost(parsed, options, schemeHandler, isIP) {
      if (hasForbiddenDomainHost(parsed, options, schemeHandler, isIP)) {
        parsed.error = parsed.error || MALFORMED_HOST_ERROR;
        return true;
      }
      if (!options.unicodeSupport && (!schemeHandler || !schemeHandler.unicodeSupport) && parsed.host && !isIPLiteral(parsed.host) && (options.domainHost || schemeHandler && schemeHandler.domainHost) && isIP === false && nonSimpleDomain(parsed.host)) {
        let url;
        try {
          url = new URL("http://" + parsed.host);
        } catch (e) {
          parsed.error = parsed.error || "Host's domain name can not be converted to ASCII: " + e;
          return true;
        }
        if (!isHostOnlyURL(url)) {
          parsed.error = parsed.error || MALFORMED_HOST_ERROR;
          return true;
        }
        parsed.host = url.hostname;
      }
      return false;
    }
    function hasForbiddenDomainHost(parsed, options, schemeHandler, isIP) {
      return Boolean(
        parsed.host && isIP === false && !isIPLiteral(parsed.host) && (options.domainHost || schemeHandler && schemeHandler.domainHost) && FORBIDDEN_DOMAIN_HOST_CHARACTER.test(parsed.host)
      );
    }
    function isHostOnlyURL(url) {
      return url.username === "" && url.password === "" && url.port === "" && url.pathname === "/" && url.search === "" && url.hash === "" && url.hostname !== "";
    }
    function parseWithStatus(uri, opts2) {
      const options = Object.assign({}, opts2);
      const parsed = {
        scheme: void 0,
        userinfo: void 0,
        host: "",
        port: void 0,
        path: "",
        query: void 0,
        fragment: void 0
      };
      let malformedAuthorityOrPort = false;
      let malformedPercentEncoding = false;
      let malformedSchemeSpecific = false;
      let malformedHost = false;
      let malformedIPLiteral = false;
      let malformedScheme = false;
      let isIP = false;
      if (options.reference === "suffix") {
        if (options.scheme) {
          uri = options.scheme + ":" + uri;
        } else {
          uri = "//" + uri;
        }
      }
      const authorityMatch = uri.match(AUTHORITY_PREFIX);
      if (authorityMatch !== null && authorityMatch[1].indexOf("\\") !== -1) {
        parsed.error = "URI authority must not contain a literal backslash.";
        malformedAuthorityOrPort = true;
      }
      const introducerMatch = uri.match(AUTHORITY_INTRODUCER_REGION);
      if (introducerMatch !== null) {
        const region2 = introducerMatch[1];
        const normalizedRegion = region2.replace(/[\t\n\r]/g, "");
        if (normalizedRegion.length >= 2) {
          if (normalizedRegion.slice(0, 2) !== "//") {
            parsed.error = parsed.error || "URI authority must not contain a literal backslash.";
            malformedAuthorityOrPort = true;
          } else if (region2.length !== normalizedRegion.length) {
            parsed.error = parsed.error || "URI authority introducer must not contain whitespace.";
            malformedAuthorityOrPort = true;
          }
        }
      }
      const matches = uri.match(URI_PARSE);
      if (matches) {
        parsed.scheme = matches[1];
        parsed.userinfo = matches[3];
        parsed.host = matches[4];
        parsed.port = parseInt(matches[5], 10);
        parsed.path = matches[6] || "";
        parsed.query = matches[7];
        parsed.fragment = matches[8];
        if (parsed.scheme !== void 0) {
          if (VALID_SCHEME.test(parsed.scheme)) {
            parsed.scheme = parsed.scheme.toLowerCase();
          } else {
            parsed.error = parsed.error || MALFORMED_SCHEME_ERROR;
            malformedScheme = true;
          }
        }
        malformedPercentEncoding = hasMalformedComponentPercentEncoding(matches);
        if (malformedPercentEncoding) {
          parsed.error = parsed.error || "URI contains malformed percent-encoding.";
        }
        if (isNaN(parsed.port)) {
          parsed.port = matches[5];
        }
        const parseError = getParseError(parsed, matches);
        if (parseError !== void 0) {
          parsed.error = parsed.error || parseError;
          malformedAuthorityOrPort = true;
        }
        if (parsed.host) {
          const ipv4result = isIPv4(parsed.host);
          if (ipv4result === false) {
            const bracketedIPLiteral = isIPLiteral(parsed.host);
            const hasIPLiteralBracket = parsed.host.indexOf("[") !== -1 || parsed.host.indexOf("]") !== -1;
            const ipv6result = normalizeIPv6(parsed.host);
            isIP = ipv6result.isIPV6 || ipv6result.isIPVFuture === true;
            malformedIPLiteral = hasIPLiteralBracket && (!bracketedIPLiteral || ipv6result.error === true);
            parsed.host = isIP ? ipv6result.host : ipv6result.host.toLowerCase();
            if (malformedIPLiteral) {
              parsed.error = parsed.error || MALFORMED_HOST_ERROR;
              malformedAuthorityOrPort = true;
            }
          } else {
            isIP = true;
          }
        }
        if (parsed.scheme === void 0 && parsed.userinfo === void 0 && parsed.host === void 0 && parsed.port === void 0 && parsed.query === void 0 && !parsed.path) {
          parsed.reference = "same-document";
        } else if (parsed.scheme === void 0) {
          parsed.reference = "relative";
        } else if (parsed.fragment === void 0) {
          parsed.reference = "absolute";
        } else {
          parsed.reference = "uri";
        }
        if (options.reference && options.reference !== "suffix" && options.reference !== parsed.reference) {
          parsed.error = parsed.error || "URI is not a " + options.reference + " reference.";
        }
        const schemeHandler = getSchemeHandler(options.scheme || parsed.scheme);
        if (!malformedIPLiteral) {
          malformedHost = canonicalizeHost(parsed, options, schemeHandler, isIP);
        }
        if (uri.indexOf("%") !== -1 && parsed.host !== void 0 && !malformedIPLiteral) {
          let host = isIP ? parsed.host : normalizePercentEncoding(parsed.host, true);
          if (!isIP) {
            host = normalizePercentEncoding(host.toLowerCase());
          }
          parsed.host = isIP || options.scheme !== "null" ? reescapeHostDelimiters(host, isIP) : host;
        }
        if (!schemeHandler || schemeHandler && !schemeHandler.skipNormalize) {
          if (parsed.path) {
            parsed.path = normalizePathEncoding(parsed.path);
          }
          if (parsed.query) {
            parsed.query = normalizeQueryFragmentEncoding(parsed.query);
          }
          if (parsed.fragment) {
            parsed.fragment = normalizeQueryFragmentEncoding(parsed.fragment);
          }
        }
        if (schemeHandler && schemeHandler.parse) {
          schemeHandler.parse(parsed, options);
          if (schemeHandler === SCHEMES.urn && parsed.nid === void 0) {
            malformedSchemeSpecific = true;
          }
        }
      } else {
        parsed.error = parsed.error || "URI can not be parsed.";
      }
      return { parsed, malformedAuthorityOrPort, malformedPercentEncoding, malformedSchemeSpecific, malformedHost, malformedScheme };
    }
    function parse(uri, opts2) {
      return parseWithStatus(uri, opts2).parsed;
    }
    function normalizeString(uri, opts2) {
      return normalizeStringWithStatus(uri, opts2).normalized;
    }
    function normalizeStringWithStatus(uri, opts2) {
      const { parsed, malformedAuthorityOrPort, malformedPercentEncoding, malformedSchemeSpecific, malformedHost, malformedScheme } = parseWithStatus(uri, opts2);
      return {
        normalized: malformedAuthorityOrPort || malformedPercentEncoding || malformedSchemeSpecific || malformedHost || malformedScheme ? uri : serialize(parsed, opts2),
        malformedAuthorityOrPort,
        malformedPercentEncoding,
        malformedSchemeSpecific,
        malformedHost,
        malformedScheme
      };
    }
    function normalizeComparableURI(uri, opts2) {
      if (typeof uri !== "string" && typeof uri !== "object") {
        return void 0;
      }
      let value;
      try {
        value = typeof uri === "string" ? uri : serialize(uri, opts2);
      } catch {
        return void 0;
      }
      const { normalized, malformedAuthorityOrPort, malformedPercentEncoding, malformedSchemeSpecific, malformedHost, malformedScheme } = normalizeStringWithStatus(value, opts2);
      return malformedAuthorityOrPort || malformedPercentEncoding || malformedSchemeSpecific || malformedHost || malformedScheme ? void 0 : normalized;
    }
    var fastUri = {
      SCHEMES,
      normalize: normalize2,
      resolve: resolve2,
      resolveComponent,
      equal,
      serialize,
      parse
    };
    module2.exports = fastUri;
    module2.exports.default = fastUri;
    module2.exports.fastUri = fastUri;
  }
});

// node_modules/ajv/dist/runtime/uri.js
var require_uri = __commonJS({
  "node_modules/ajv/dist/runtime/uri.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var uri = require_fast_uri();
    uri.code = 'require("ajv/dist/runtime/uri").default';
    exports.default = uri;
  }
});

// node_modules/ajv/dist/core.js
var require_core = __commonJS({
  "node_modules/ajv/dist/core.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.CodeGen = exports.Name = exports.nil = exports.stringify = exports.str = exports._ = exports.KeywordCxt = void 0;
    var validate_1 = require_validate();
    Object.defineProperty(exports, "KeywordCxt", { enumerable: true, get: function() {
      return validate_1.KeywordCxt;
    } });
    var codegen_1 = require_codegen();
    Object.defineProperty(exports, "_", { enumerable: true, get: function() {
      return codegen_1._;
    } });
    Object.defineProperty(exports, "str", { enumerable: true, get: function() {
      return codegen_1.str;
    } });
    Object.defineProperty(exports, "stringify", { enumerable: true, get: function() {
      return codegen_1.stringify;
    } });
    Object.defineProperty(exports, "nil", { enumerable: true, get: function() {
      return codegen_1.nil;
    } });
    Object.defineProperty(exports, "Name", { enumerable: true, get: function() {
      return codegen_1.Name;
    } });
    Object.defineProperty(exports, "CodeGen", { enumerable: true, get: function() {
      return codegen_1.CodeGen;
    } });
    var validation_error_1 = require_validation_error();
    var ref_error_1 = require_ref_error();
    var rules_1 = require_rules();
    var compile_1 = require_compile();
    var codegen_2 = require_codegen();
    var resolve_1 = require_resolve();
    var dataType_1 = require_dataType();
    var util_1 = require_util();
    var $dataRefSchema = require_data();
    var uri_1 = require_uri();
    var defaultRegExp = (str, flags2) => new RegExp(str, flags2);
    defaultRegExp.code = "new RegExp";
    var META_IGNORE_OPTIONS = ["removeAdditional", "useDefaults", "coerceTypes"];
    var EXT_SCOPE_NAMES = /* @__PURE__ */ new Set([
      "validate",
      "serialize",
      "parse",
      "wrapper",
      "root",
      "schema",
      "keyword",
      "pattern",
      "formats",
      "validate$data",
      "func",
      "obj",
      "Error"
    ]);
    var removedOptions = {
      errorDataPath: "",
      format: "`validateFormats: false` can be used instead.",
      nullable: '"nullable" keyword is supported by default.',
      jsonPointers: "Deprecated jsPropertySyntax can be used instead.",
      extendRefs: "Deprecated ignoreKeywordsWithRef can be used instead.",
      missingRefs: "Pass empty schema with $id that should be ignored to ajv.addSchema.",
      processCode: "Use option `code: {process: (code, schemaEnv: object) => string}`",
      sourceCode: "Use option `code: {source: true}`",
      strictDefaults: "It is default now, see option `strict`.",
      strictKeywords: "It is default now, see option `strict`.",
      uniqueItems: '"uniqueItems" keyword is always validated.',
      unknownFormats: "Disable strict mode or pass `true` to `ajv.addFormat` (or `formats` option).",
      cache: "Map is used as cache, schema object as key.",
      serialize: "Map is used as cache, schema object as key.",
      ajvErrors: "It is default now."
    };
    var deprecatedOptions = {
      ignoreKeywordsWithRef: "",
      jsPropertySyntax: "",
      unicode: '"minLength"/"maxLength" account for unicode characters by default.'
    };
    var MAX_EXPRESSION = 200;
    function requiredOptions(o) {
      var _a, _b, _c, _d, _e, _f, _g, _h, _j, _k, _l, _m, _o, _p, _q, _r, _s, _t, _u, _v, _w, _x, _y, _z, _0;
      const s = o.strict;
      const _optz = (_a = o.code) === null || _a === void 0 ? void 0 : _a.optimize;
      const optimize = _optz === true || _optz === void 0 ? 1 : _optz || 0;
      const regExp = (_c = (_b = o.code) === null || _b === void 0 ? void 0 : _b.regExp) !== null && _c !== void 0 ? _c : defaultRegExp;
      const uriResolver = (_d = o.uriResolver) !== null && _d !== void 0 ? _d : uri_1.default;
      return {
        strictSchema: (_f = (_e = o.strictSchema) !== null && _e !== void 0 ? _e : s) !== null && _f !== void 0 ? _f : true,
        strictNumbers: (_h = (_g = o.strictNumbers) !== null && _g !== void 0 ? _g : s) !== null && _h !== void 0 ? _h : true,
        strictTypes: (_k = (_j = o.strictTypes) !== null && _j !== void 0 ? _j : s) !== null && _k !== void 0 ? _k : "log",
        strictTuples: (_m = (_l = o.strictTuples) !== null && _l !== void 0 ? _l : s) !== null && _m !== void 0 ? _m : "log",
        strictRequired: (_p = (_o = o.strictRequired) !== null && _o !== void 0 ? _o : s) !== null && _p !== void 0 ? _p : false,
        code: o.code ? { ...o.code, optimize, regExp } : { optimize, regExp },
        loopRequired: (_q = o.loopRequired) !== null && _q !== void 0 ? _q : MAX_EXPRESSION,
        loopEnum: (_r = o.loopEnum) !== null && _r !== void 0 ? _r : MAX_EXPRESSION,
        meta: (_s = o.meta) !== null && _s !== void 0 ? _s : true,
        messages: (_t = o.messages) !== null && _t !== void 0 ? _t : true,
        inlineRefs: (_u = o.inlineRefs) !== null && _u !== void 0 ? _u : true,
        schemaId: (_v = o.schemaId) !== null && _v !== void 0 ? _v : "$id",
        addUsedSchema: (_w = o.addUsedSchema) !== null && _w !== void 0 ? _w : true,
        validateSchema: (_x = o.validateSchema) !== null && _x !== void 0 ? _x : true,
        validateFormats: (_y = o.validateFormats) !== null && _y !== void 0 ? _y : true,
        unicodeRegExp: (_z = o.unicodeRegExp) !== null && _z !== void 0 ? _z : true,
        int32range: (_0 = o.int32range) !== null && _0 !== void 0 ? _0 : true,
        uriResolver
      };
    }
    var Ajv2 = class {
      constructor(opts2 = {}) {
        this.schemas = {};
        this.refs = {};
        this.formats = /* @__PURE__ */ Object.create(null);
        this._compilations = /* @__PURE__ */ new Set();
        this._loading = {};
        this._cache = /* @__PURE__ */ new Map();
        opts2 = this.opts = { ...opts2, ...requiredOptions(opts2) };
        const { es5, lines } = this.opts.code;
        this.scope = new codegen_2.ValueScope({ scope: {}, prefixes: EXT_SCOPE_NAMES, es5, lines });
        this.logger = getLogger(opts2.logger);
        const formatOpt = opts2.validateFormats;
        opts2.validateFormats = false;
        this.RULES = (0, rules_1.getRules)();
        checkOptions.call(this, removedOptions, opts2, "NOT SUPPORTED");
        checkOptions.call(this, deprecatedOptions, opts2, "DEPRECATED", "warn");
        this._metaOpts = getMetaSchemaOptions.call(this);
        if (opts2.formats)
          addInitialFormats.call(this);
        this._addVocabularies();
        this._addDefaultMetaSchema();
        if (opts2.keywords)
          addInitialKeywords.call(this, opts2.keywords);
        if (typeof opts2.meta == "object")
          this.addMetaSchema(opts2.meta);
        addInitialSchemas.call(this);
        opts2.validateFormats = formatOpt;
      }
      _addVocabularies() {
        this.addKeyword("$async");
      }
      _addDefaultMetaSchema() {
        const { $data, meta, schemaId } = this.opts;
        let _dataRefSchema = $dataRefSchema;
        if (schemaId === "id") {
          _dataRefSchema = { ...$dataRefSchema };
          _dataRefSchema.id = _dataRefSchema.$id;
          delete _dataRefSchema.$id;
        }
        if (meta && $data)
          this.addMetaSchema(_dataRefSchema, _dataRefSchema[schemaId], false);
      }
      defaultMeta() {
        const { meta, schemaId } = this.opts;
        return this.opts.defaultMeta = typeof meta == "object" ? meta[schemaId] || meta : void 0;
      }
      validate(schemaKeyRef, data) {
        let v;
        if (typeof schemaKeyRef == "string") {
          v = this.getSchema(schemaKeyRef);
          if (!v)
            throw new Error(`no schema with key or ref "${schemaKeyRef}"`);
        } else {
          v = this.compile(schemaKeyRef);
        }
        const valid = v(data);
        if (!("$async" in v))
          this.errors = v.errors;
        return valid;
      }
      compile(schema, _meta) {
        const sch = this._addSchema(schema, _meta);
        return sch.validate || this._compileSchemaEnv(sch);
      }
      compileAsync(schema, meta) {
        if (typeof this.opts.loadSchema != "function") {
          throw new Error("options.loadSchema should be a function");
        }
        const { loadSchema } = this.opts;
        return runCompileAsync.call(this, schema, meta);
        async function runCompileAsync(_schema, _meta) {
          await loadMetaSchema.call(this, _schema.$schema);
          const sch = this._addSchema(_schema, _meta);
          return sch.validate || _compileAsync.call(this, sch);
        }
        async function loadMetaSchema($ref) {
          if ($ref && !this.getSchema($ref)) {
            await runCompileAsync.call(this, { $ref }, true);
          }
        }
        async function _compileAsync(sch) {
          try {
            return this._compileSchemaEnv(sch);
          } catch (e) {
            if (!(e instanceof ref_error_1.default))
              throw e;
            checkLoaded.call(this, e);
            await loadMissingSchema.call(this, e.missingSchema);
            return _compileAsync.call(this, sch);
          }
        }
        function checkLoaded({ missingSchema: ref, missingRef }) {
          if (this.refs[ref]) {
            throw new Error(`AnySchema ${ref} is loaded but ${missingRef} cannot be resolved`);
          }
        }
        async function loadMissingSchema(ref) {
          const _schema = await _loadSchema.call(this, ref);
          if (!this.refs[ref])
            await loadMetaSchema.call(this, _schema.$schema);
          if (!this.refs[ref])
            this.addSchema(_schema, ref, meta);
        }
        async function _loadSchema(ref) {
          const p = this._loading[ref];
          if (p)
            return p;
          try {
            return await (this._loading[ref] = loadSchema(ref));
          } finally {
            delete this._loading[ref];
          }
        }
      }
      // Adds schema to the instance
      addSchema(schema, key, _meta, _validateSchema = this.opts.validateSchema) {
        if (Array.isArray(schema)) {
          for (const sch of schema)
            this.addSchema(sch, void 0, _meta, _validateSchema);
          return this;
        }
        let id;
        if (typeof schema === "object") {
          const { schemaId } = this.opts;
          id = schema[schemaId];
          if (id !== void 0 && typeof id != "string") {
            throw new Error(`schema ${schemaId} must be string`);
          }
        }
        key = (0, resolve_1.normalizeId)(key || id);
        this._checkUnique(key);
        this.schemas[key] = this._addSchema(schema, _meta, key, _validateSchema, true);
        return this;
      }
      // Add schema that will be used to validate other schemas
      // options in META_IGNORE_OPTIONS are alway set to false
      addMetaSchema(schema, key, _validateSchema = this.opts.validateSchema) {
        this.addSchema(schema, key, true, _validateSchema);
        return this;
      }
      //  Validate schema against its meta-schema
      validateSchema(schema, throwOrLogError) {
        if (typeof schema == "boolean")
          return true;
        let $schema;
        $schema = schema.$schema;
        if ($schema !== void 0 && typeof $schema != "string") {
          throw new Error("$schema must be a string");
        }
        $schema = $schema || this.opts.defaultMeta || this.defaultMeta();
        if (!$schema) {
          this.logger.warn("meta-schema not available");
          this.errors = null;
          return true;
        }
        const valid = this.validate($schema, schema);
        if (!valid && throwOrLogError) {
          const message = "schema is invalid: " + this.errorsText();
          if (this.opts.validateSchema === "log")
            this.logger.error(message);
          else
            throw new Error(message);
        }
        return valid;
      }
      // Get compiled schema by `key` or `ref`.
      // (`key` that was passed to `addSchema` or full schema reference - `schema.$id` or resolved id)
      getSchema(keyRef) {
        let sch;
        while (typeof (sch = getSchEnv.call(this, keyRef)) == "string")
          keyRef = sch;
        if (sch === void 0) {
          const { schemaId } = this.opts;
          const root = new compile_1.SchemaEnv({ schema: {}, schemaId });
          sch = compile_1.resolveSchema.call(this, root, keyRef);
          if (!sch)
            return;
          this.refs[keyRef] = sch;
        }
        return sch.validate || this._compileSchemaEnv(sch);
      }
      // Remove cached schema(s).
      // If no parameter is passed all schemas but meta-schemas are removed.
      // If RegExp is passed all schemas with key/id matching pattern but meta-schemas are removed.
      // Even if schema is referenced by other schemas it still can be removed as other schemas have local references.
      removeSchema(schemaKeyRef) {
        if (schemaKeyRef instanceof RegExp) {
          this._removeAllSchemas(this.schemas, schemaKeyRef);
          this._removeAllSchemas(this.refs, schemaKeyRef);
          return this;
        }
        switch (typeof schemaKeyRef) {
          case "undefined":
            this._removeAllSchemas(this.schemas);
            this._removeAllSchemas(this.refs);
            this._cache.clear();
            return this;
          case "string": {
            const sch = getSchEnv.call(this, schemaKeyRef);
            if (typeof sch == "object")
              this._cache.delete(sch.schema);
            delete this.schemas[schemaKeyRef];
            delete this.refs[schemaKeyRef];
            return this;
          }
          case "object": {
            const cacheKey = schemaKeyRef;
            this._cache.delete(cacheKey);
            let id = schemaKeyRef[this.opts.schemaId];
            if (id) {
              id = (0, resolve_1.normalizeId)(id);
              delete this.schemas[id];
              delete this.refs[id];
            }
            return this;
          }
          default:
            throw new Error("ajv.removeSchema: invalid parameter");
        }
      }
      // add "vocabulary" - a collection of keywords
      addVocabulary(definitions) {
        for (const def of definitions)
          this.addKeyword(def);
        return this;
      }
      addKeyword(kwdOrDef, def) {
        let keyword;
        if (typeof kwdOrDef == "string") {
          keyword = kwdOrDef;
          if (typeof def == "object") {
            this.logger.warn("these parameters are deprecated, see docs for addKeyword");
            def.keyword = keyword;
          }
        } else if (typeof kwdOrDef == "object" && def === void 0) {
          def = kwdOrDef;
          keyword = def.keyword;
          if (Array.isArray(keyword) && !keyword.length) {
            throw new Error("addKeywords: keyword must be string or non-empty array");
          }
        } else {
          throw new Error("invalid addKeywords parameters");
        }
        checkKeyword.call(this, keyword, def);
        if (!def) {
          (0, util_1.eachItem)(keyword, (kwd) => addRule.call(this, kwd));
          return this;
        }
        keywordMetaschema.call(this, def);
        const definition = {
          ...def,
          type: (0, dataType_1.getJSONTypes)(def.type),
          schemaType: (0, dataType_1.getJSONTypes)(def.schemaType)
        };
        (0, util_1.eachItem)(keyword, definition.type.length === 0 ? (k) => addRule.call(this, k, definition) : (k) => definition.type.forEach((t) => addRule.call(this, k, definition, t)));
        return this;
      }
      getKeyword(keyword) {
        const rule = this.RULES.all[keyword];
        return typeof rule == "object" ? rule.definition : !!rule;
      }
      // Remove keyword
      removeKeyword(keyword) {
        const { RULES } = this;
        delete RULES.keywords[keyword];
        delete RULES.all[keyword];
        for (const group of RULES.rules) {
          const i2 = group.rules.findIndex((rule) => rule.keyword === keyword);
          if (i2 >= 0)
            group.rules.splice(i2, 1);
        }
        return this;
      }
      // Add format
      addFormat(name2, format) {
        if (typeof format == "string")
          format = new RegExp(format);
        this.formats[name2] = format;
        return this;
      }
      errorsText(errors = this.errors, { separator = ", ", dataVar = "data" } = {}) {
        if (!errors || errors.length === 0)
          return "No errors";
        return errors.map((e) => `${dataVar}${e.instancePath} ${e.message}`).reduce((text, msg) => text + separator + msg);
      }
      $dataMetaSchema(metaSchema, keywordsJsonPointers) {
        const rules2 = this.RULES.all;
        metaSchema = JSON.parse(JSON.stringify(metaSchema));
        for (const jsonPointer of keywordsJsonPointers) {
          const segments = jsonPointer.split("/").slice(1);
          let keywords = metaSchema;
          for (const seg of segments)
            keywords = keywords[seg];
          for (const key in rules2) {
            const rule = rules2[key];
            if (typeof rule != "object")
              continue;
            const { $data } = rule.definition;
            const schema = keywords[key];
            if ($data && schema)
              keywords[key] = schemaOrData(schema);
          }
        }
        return metaSchema;
      }
      _removeAllSchemas(schemas, regex) {
        for (const keyRef in schemas) {
          const sch = schemas[keyRef];
          if (!regex || regex.test(keyRef)) {
            if (typeof sch == "string") {
              delete schemas[keyRef];
            } else if (sch && !sch.meta) {
              this._cache.delete(sch.schema);
              delete schemas[keyRef];
            }
          }
        }
      }
      _addSchema(schema, meta, baseId, validateSchema = this.opts.validateSchema, addSchema = this.opts.addUsedSchema) {
        let id;
        const { schemaId } = this.opts;
        if (typeof schema == "object") {
          id = schema[schemaId];
        } else {
          if (this.opts.jtd)
            throw new Error("schema must be object");
          else if (typeof schema != "boolean")
            throw new Error("schema must be object or boolean");
        }
        let sch = this._cache.get(schema);
        if (sch !== void 0)
          return sch;
        baseId = (0, resolve_1.normalizeId)(id || baseId);
        const localRefs = resolve_1.getSchemaRefs.call(this, schema, baseId);
        sch = new compile_1.SchemaEnv({ schema, schemaId, meta, baseId, localRefs });
        this._cache.set(sch.schema, sch);
        if (addSchema && !baseId.startsWith("#")) {
          if (baseId)
            this._checkUnique(baseId);
          this.refs[baseId] = sch;
        }
        if (validateSchema)
          this.validateSchema(schema, true);
        return sch;
      }
      _checkUnique(id) {
        if (this.schemas[id] || this.refs[id]) {
          throw new Error(`schema with key or id "${id}" already exists`);
        }
      }
      _compileSchemaEnv(sch) {
        if (sch.meta)
          this._compileMetaSchema(sch);
        else
          compile_1.compileSchema.call(this, sch);
        if (!sch.validate)
          throw new Error("ajv implementation error");
        return sch.validate;
      }
      _compileMetaSchema(sch) {
        const currentOpts = this.opts;
        this.opts = this._metaOpts;
        try {
          compile_1.compileSchema.call(this, sch);
        } finally {
          this.opts = currentOpts;
        }
      }
    };
    Ajv2.ValidationError = validation_error_1.default;
    Ajv2.MissingRefError = ref_error_1.default;
    exports.default = Ajv2;
    function checkOptions(checkOpts, options, msg, log = "error") {
      for (const key in checkOpts) {
        const opt = key;
        if (opt in options)
          this.logger[log](`${msg}: option ${key}. ${checkOpts[opt]}`);
      }
    }
    function getSchEnv(keyRef) {
      keyRef = (0, resolve_1.normalizeId)(keyRef);
      return this.schemas[keyRef] || this.refs[keyRef];
    }
    function addInitialSchemas() {
      const optsSchemas = this.opts.schemas;
      if (!optsSchemas)
        return;
      if (Array.isArray(optsSchemas))
        this.addSchema(optsSchemas);
      else
        for (const key in optsSchemas)
          this.addSchema(optsSchemas[key], key);
    }
    function addInitialFormats() {
      for (const name2 in this.opts.formats) {
        const format = this.opts.formats[name2];
        if (format)
          this.addFormat(name2, format);
      }
    }
    function addInitialKeywords(defs) {
      if (Array.isArray(defs)) {
        this.addVocabulary(defs);
        return;
      }
      this.logger.warn("keywords option as map is deprecated, pass array");
      for (const keyword in defs) {
        const def = defs[keyword];
        if (!def.keyword)
          def.keyword = keyword;
        this.addKeyword(def);
      }
    }
    function getMetaSchemaOptions() {
      const metaOpts = { ...this.opts };
      for (const opt of META_IGNORE_OPTIONS)
        delete metaOpts[opt];
      return metaOpts;
    }
    var noLogs = { log() {
    }, warn() {
    }, error() {
    } };
    function getLogger(logger) {
      if (logger === false)
        return noLogs;
      if (logger === void 0)
        return console;
      if (logger.log && logger.warn && logger.error)
        return logger;
      throw new Error("logger must implement log, warn and error methods");
    }
    var KEYWORD_NAME = /^[a-z_$][a-z0-9_$:-]*$/i;
    function checkKeyword(keyword, def) {
      const { RULES } = this;
      (0, util_1.eachItem)(keyword, (kwd) => {
        if (RULES.keywords[kwd])
          throw new Error(`Keyword ${kwd} is already defined`);
        if (!KEYWORD_NAME.test(kwd))
          throw new Error(`Keyword ${kwd} has invalid name`);
      });
      if (!def)
        return;
      if (def.$data && !("code" in def || "validate" in def)) {
        throw new Error('$data keyword must have "code" or "validate" function');
      }
    }
    function addRule(keyword, definition, dataType) {
      var _a;
      const post = definition === null || definition === void 0 ? void 0 : definition.post;
      if (dataType && post)
        throw new Error('keyword with "post" flag cannot have "type"');
      const { RULES } = this;
      let ruleGroup = post ? RULES.post : RULES.rules.find(({ type: t }) => t === dataType);
      if (!ruleGroup) {
        ruleGroup = { type: dataType, rules: [] };
        RULES.rules.push(ruleGroup);
      }
      RULES.keywords[keyword] = true;
      if (!definition)
        return;
      const rule = {
        keyword,
        definition: {
          ...definition,
          type: (0, dataType_1.getJSONTypes)(definition.type),
          schemaType: (0, dataType_1.getJSONTypes)(definition.schemaType)
        }
      };
      if (definition.before)
        addBeforeRule.call(this, ruleGroup, rule, definition.before);
      else
        ruleGroup.rules.push(rule);
      RULES.all[keyword] = rule;
      (_a = definition.implements) === null || _a === void 0 ? void 0 : _a.forEach((kwd) => this.addKeyword(kwd));
    }
    function addBeforeRule(ruleGroup, rule, before) {
      const i2 = ruleGroup.rules.findIndex((_rule) => _rule.keyword === before);
      if (i2 >= 0) {
        ruleGroup.rules.splice(i2, 0, rule);
      } else {
        ruleGroup.rules.push(rule);
        this.logger.warn(`rule ${before} is not defined`);
      }
    }
    function keywordMetaschema(def) {
      let { metaSchema } = def;
      if (metaSchema === void 0)
        return;
      if (def.$data && this.opts.$data)
        metaSchema = schemaOrData(metaSchema);
      def.validateSchema = this.compile(metaSchema, true);
    }
    var $dataRef = {
      $ref: "https://raw.githubusercontent.com/ajv-validator/ajv/master/lib/refs/data.json#"
    };
    function schemaOrData(schema) {
      return { anyOf: [schema, $dataRef] };
    }
  }
});

// node_modules/ajv/dist/vocabularies/core/id.js
var require_id = __commonJS({
  "node_modules/ajv/dist/vocabularies/core/id.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var def = {
      keyword: "id",
      code() {
        throw new Error('NOT SUPPORTED: keyword "id", use "$id" for schema ID');
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/core/ref.js
var require_ref = __commonJS({
  "node_modules/ajv/dist/vocabularies/core/ref.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.callRef = exports.getValidate = void 0;
    var ref_error_1 = require_ref_error();
    var code_1 = require_code2();
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var compile_1 = require_compile();
    var util_1 = require_util();
    var def = {
      keyword: "$ref",
      schemaType: "string",
      code(cxt) {
        const { gen, schema: $ref, it } = cxt;
        const { baseId, schemaEnv: env, validateName, opts: opts2, self: self2 } = it;
        const { root } = env;
        if (($ref === "#" || $ref === "#/") && baseId === root.baseId)
          return callRootRef();
        const schOrEnv = compile_1.resolveRef.call(self2, root, baseId, $ref);
        if (schOrEnv === void 0)
          throw new ref_error_1.default(it.opts.uriResolver, baseId, $ref);
        if (schOrEnv instanceof compile_1.SchemaEnv)
          return callValidate(schOrEnv);
        return inlineRefSchema(schOrEnv);
        function callRootRef() {
          if (env === root)
            return callRef(cxt, validateName, env, env.$async);
          const rootName = gen.scopeValue("root", { ref: root });
          return callRef(cxt, (0, codegen_1._)`${rootName}.validate`, root, root.$async);
        }
        function callValidate(sch) {
          const v = getValidate(cxt, sch);
          callRef(cxt, v, sch, sch.$async);
        }
        function inlineRefSchema(sch) {
          const schName = gen.scopeValue("schema", opts2.code.source === true ? { ref: sch, code: (0, codegen_1.stringify)(sch) } : { ref: sch });
          const valid = gen.name("valid");
          const schCxt = cxt.subschema({
            schema: sch,
            dataTypes: [],
            schemaPath: codegen_1.nil,
            topSchemaRef: schName,
            errSchemaPath: $ref
          }, valid);
          cxt.mergeEvaluated(schCxt);
          cxt.ok(valid);
        }
      }
    };
    function getValidate(cxt, sch) {
      const { gen } = cxt;
      return sch.validate ? gen.scopeValue("validate", { ref: sch.validate }) : (0, codegen_1._)`${gen.scopeValue("wrapper", { ref: sch })}.validate`;
    }
    exports.getValidate = getValidate;
    function callRef(cxt, v, sch, $async) {
      const { gen, it } = cxt;
      const { allErrors, schemaEnv: env, opts: opts2 } = it;
      const passCxt = opts2.passContext ? names_1.default.this : codegen_1.nil;
      if ($async)
        callAsyncRef();
      else
        callSyncRef();
      function callAsyncRef() {
        if (!env.$async)
          throw new Error("async schema referenced by sync schema");
        const valid = gen.let("valid");
        gen.try(() => {
          gen.code((0, codegen_1._)`await ${(0, code_1.callValidateCode)(cxt, v, passCxt)}`);
          addEvaluatedFrom(v);
          if (!allErrors)
            gen.assign(valid, true);
        }, (e) => {
          gen.if((0, codegen_1._)`!(${e} instanceof ${it.ValidationError})`, () => gen.throw(e));
          addErrorsFrom(e);
          if (!allErrors)
            gen.assign(valid, false);
        });
        cxt.ok(valid);
      }
      function callSyncRef() {
        cxt.result((0, code_1.callValidateCode)(cxt, v, passCxt), () => addEvaluatedFrom(v), () => addErrorsFrom(v));
      }
      function addErrorsFrom(source) {
        const errs = (0, codegen_1._)`${source}.errors`;
        gen.assign(names_1.default.vErrors, (0, codegen_1._)`${names_1.default.vErrors} === null ? ${errs} : ${names_1.default.vErrors}.concat(${errs})`);
        gen.assign(names_1.default.errors, (0, codegen_1._)`${names_1.default.vErrors}.length`);
      }
      function addEvaluatedFrom(source) {
        var _a;
        if (!it.opts.unevaluated)
          return;
        const schEvaluated = (_a = sch === null || sch === void 0 ? void 0 : sch.validate) === null || _a === void 0 ? void 0 : _a.evaluated;
        if (it.props !== true) {
          if (schEvaluated && !schEvaluated.dynamicProps) {
            if (schEvaluated.props !== void 0) {
              it.props = util_1.mergeEvaluated.props(gen, schEvaluated.props, it.props);
            }
          } else {
            const props = gen.var("props", (0, codegen_1._)`${source}.evaluated.props`);
            it.props = util_1.mergeEvaluated.props(gen, props, it.props, codegen_1.Name);
          }
        }
        if (it.items !== true) {
          if (schEvaluated && !schEvaluated.dynamicItems) {
            if (schEvaluated.items !== void 0) {
              it.items = util_1.mergeEvaluated.items(gen, schEvaluated.items, it.items);
            }
          } else {
            const items = gen.var("items", (0, codegen_1._)`${source}.evaluated.items`);
            it.items = util_1.mergeEvaluated.items(gen, items, it.items, codegen_1.Name);
          }
        }
      }
    }
    exports.callRef = callRef;
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/core/index.js
var require_core2 = __commonJS({
  "node_modules/ajv/dist/vocabularies/core/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var id_1 = require_id();
    var ref_1 = require_ref();
    var core = [
      "$schema",
      "$id",
      "$defs",
      "$vocabulary",
      { keyword: "$comment" },
      "definitions",
      id_1.default,
      ref_1.default
    ];
    exports.default = core;
  }
});

// node_modules/ajv/dist/vocabularies/validation/limitNumber.js
var require_limitNumber = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/limitNumber.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var ops = codegen_1.operators;
    var KWDs = {
      maximum: { okStr: "<=", ok: ops.LTE, fail: ops.GT },
      minimum: { okStr: ">=", ok: ops.GTE, fail: ops.LT },
      exclusiveMaximum: { okStr: "<", ok: ops.LT, fail: ops.GTE },
      exclusiveMinimum: { okStr: ">", ok: ops.GT, fail: ops.LTE }
    };
    var error = {
      message: ({ keyword, schemaCode }) => (0, codegen_1.str)`must be ${KWDs[keyword].okStr} ${schemaCode}`,
      params: ({ keyword, schemaCode }) => (0, codegen_1._)`{comparison: ${KWDs[keyword].okStr}, limit: ${schemaCode}}`
    };
    var def = {
      keyword: Object.keys(KWDs),
      type: "number",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { keyword, data, schemaCode } = cxt;
        cxt.fail$data((0, codegen_1._)`${data} ${KWDs[keyword].fail} ${schemaCode} || isNaN(${data})`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/multipleOf.js
var require_multipleOf = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/multipleOf.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var error = {
      message: ({ schemaCode }) => (0, codegen_1.str)`must be multiple of ${schemaCode}`,
      params: ({ schemaCode }) => (0, codegen_1._)`{multipleOf: ${schemaCode}}`
    };
    var def = {
      keyword: "multipleOf",
      type: "number",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, schemaCode, it } = cxt;
        const prec = it.opts.multipleOfPrecision;
        const res = gen.let("res");
        const invalid = prec ? (0, codegen_1._)`Math.abs(Math.round(${res}) - ${res}) > 1e-${prec}` : (0, codegen_1._)`${res} !== parseInt(${res})`;
        cxt.fail$data((0, codegen_1._)`(${schemaCode} === 0 || (${res} = ${data}/${schemaCode}, ${invalid}))`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/runtime/ucs2length.js
var require_ucs2length = __commonJS({
  "node_modules/ajv/dist/runtime/ucs2length.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    function ucs2length(str) {
      const len = str.length;
      let length = 0;
      let pos2 = 0;
      let value;
      while (pos2 < len) {
        length++;
        value = str.charCodeAt(pos2++);
        if (value >= 55296 && value <= 56319 && pos2 < len) {
          value = str.charCodeAt(pos2);
          if ((value & 64512) === 56320)
            pos2++;
        }
      }
      return length;
    }
    exports.default = ucs2length;
    ucs2length.code = 'require("ajv/dist/runtime/ucs2length").default';
  }
});

// node_modules/ajv/dist/vocabularies/validation/limitLength.js
var require_limitLength = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/limitLength.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var ucs2length_1 = require_ucs2length();
    var error = {
      message({ keyword, schemaCode }) {
        const comp = keyword === "maxLength" ? "more" : "fewer";
        return (0, codegen_1.str)`must NOT have ${comp} than ${schemaCode} characters`;
      },
      params: ({ schemaCode }) => (0, codegen_1._)`{limit: ${schemaCode}}`
    };
    var def = {
      keyword: ["maxLength", "minLength"],
      type: "string",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { keyword, data, schemaCode, it } = cxt;
        const op = keyword === "maxLength" ? codegen_1.operators.GT : codegen_1.operators.LT;
        const len = it.opts.unicode === false ? (0, codegen_1._)`${data}.length` : (0, codegen_1._)`${(0, util_1.useFunc)(cxt.gen, ucs2length_1.default)}(${data})`;
        cxt.fail$data((0, codegen_1._)`${len} ${op} ${schemaCode}`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/pattern.js
var require_pattern = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/pattern.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var util_1 = require_util();
    var codegen_1 = require_codegen();
    var error = {
      message: ({ schemaCode }) => (0, codegen_1.str)`must match pattern "${schemaCode}"`,
      params: ({ schemaCode }) => (0, codegen_1._)`{pattern: ${schemaCode}}`
    };
    var def = {
      keyword: "pattern",
      type: "string",
      schemaType: "string",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, $data, schema, schemaCode, it } = cxt;
        const u = it.opts.unicodeRegExp ? "u" : "";
        if ($data) {
          const { regExp } = it.opts.code;
          const regExpCode = regExp.code === "new RegExp" ? (0, codegen_1._)`new RegExp` : (0, util_1.useFunc)(gen, regExp);
          const valid = gen.let("valid");
          gen.try(() => gen.assign(valid, (0, codegen_1._)`${regExpCode}(${schemaCode}, ${u}).test(${data})`), () => gen.assign(valid, false));
          cxt.fail$data((0, codegen_1._)`!${valid}`);
        } else {
          const regExp = (0, code_1.usePattern)(cxt, schema);
          cxt.fail$data((0, codegen_1._)`!${regExp}.test(${data})`);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/limitProperties.js
var require_limitProperties = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/limitProperties.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var error = {
      message({ keyword, schemaCode }) {
        const comp = keyword === "maxProperties" ? "more" : "fewer";
        return (0, codegen_1.str)`must NOT have ${comp} than ${schemaCode} properties`;
      },
      params: ({ schemaCode }) => (0, codegen_1._)`{limit: ${schemaCode}}`
    };
    var def = {
      keyword: ["maxProperties", "minProperties"],
      type: "object",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { keyword, data, schemaCode } = cxt;
        const op = keyword === "maxProperties" ? codegen_1.operators.GT : codegen_1.operators.LT;
        cxt.fail$data((0, codegen_1._)`Object.keys(${data}).length ${op} ${schemaCode}`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/required.js
var require_required = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/required.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var error = {
      message: ({ params: { missingProperty } }) => (0, codegen_1.str)`must have required property '${missingProperty}'`,
      params: ({ params: { missingProperty } }) => (0, codegen_1._)`{missingProperty: ${missingProperty}}`
    };
    var def = {
      keyword: "required",
      type: "object",
      schemaType: "array",
      $data: true,
      error,
      code(cxt) {
        const { gen, schema, schemaCode, data, $data, it } = cxt;
        const { opts: opts2 } = it;
        if (!$data && schema.length === 0)
          return;
        const useLoop = schema.length >= opts2.loopRequired;
        if (it.allErrors)
          allErrorsMode();
        else
          exitOnErrorMode();
        if (opts2.strictRequired) {
          const props = cxt.parentSchema.properties;
          const { definedProperties } = cxt.it;
          for (const requiredKey of schema) {
            if ((props === null || props === void 0 ? void 0 : props[requiredKey]) === void 0 && !definedProperties.has(requiredKey)) {
              const schemaPath = it.schemaEnv.baseId + it.errSchemaPath;
              const msg = `required property "${requiredKey}" is not defined at "${schemaPath}" (strictRequired)`;
              (0, util_1.checkStrictMode)(it, msg, it.opts.strictRequired);
            }
          }
        }
        function allErrorsMode() {
          if (useLoop || $data) {
            cxt.block$data(codegen_1.nil, loopAllRequired);
          } else {
            for (const prop of schema) {
              (0, code_1.checkReportMissingProp)(cxt, prop);
            }
          }
        }
        function exitOnErrorMode() {
          const missing = gen.let("missing");
          if (useLoop || $data) {
            const valid = gen.let("valid", true);
            cxt.block$data(valid, () => loopUntilMissing(missing, valid));
            cxt.ok(valid);
          } else {
            gen.if((0, code_1.checkMissingProp)(cxt, schema, missing));
            (0, code_1.reportMissingProp)(cxt, missing);
            gen.else();
          }
        }
        function loopAllRequired() {
          gen.forOf("prop", schemaCode, (prop) => {
            cxt.setParams({ missingProperty: prop });
            gen.if((0, code_1.noPropertyInData)(gen, data, prop, opts2.ownProperties), () => cxt.error());
          });
        }
        function loopUntilMissing(missing, valid) {
          cxt.setParams({ missingProperty: missing });
          gen.forOf(missing, schemaCode, () => {
            gen.assign(valid, (0, code_1.propertyInData)(gen, data, missing, opts2.ownProperties));
            gen.if((0, codegen_1.not)(valid), () => {
              cxt.error();
              gen.break();
            });
          }, codegen_1.nil);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/limitItems.js
var require_limitItems = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/limitItems.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var error = {
      message({ keyword, schemaCode }) {
        const comp = keyword === "maxItems" ? "more" : "fewer";
        return (0, codegen_1.str)`must NOT have ${comp} than ${schemaCode} items`;
      },
      params: ({ schemaCode }) => (0, codegen_1._)`{limit: ${schemaCode}}`
    };
    var def = {
      keyword: ["maxItems", "minItems"],
      type: "array",
      schemaType: "number",
      $data: true,
      error,
      code(cxt) {
        const { keyword, data, schemaCode } = cxt;
        const op = keyword === "maxItems" ? codegen_1.operators.GT : codegen_1.operators.LT;
        cxt.fail$data((0, codegen_1._)`${data}.length ${op} ${schemaCode}`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/runtime/equal.js
var require_equal = __commonJS({
  "node_modules/ajv/dist/runtime/equal.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var equal = require_fast_deep_equal();
    equal.code = 'require("ajv/dist/runtime/equal").default';
    exports.default = equal;
  }
});

// node_modules/ajv/dist/vocabularies/validation/uniqueItems.js
var require_uniqueItems = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/uniqueItems.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var dataType_1 = require_dataType();
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var equal_1 = require_equal();
    var error = {
      message: ({ params: { i: i2, j } }) => (0, codegen_1.str)`must NOT have duplicate items (items ## ${j} and ${i2} are identical)`,
      params: ({ params: { i: i2, j } }) => (0, codegen_1._)`{i: ${i2}, j: ${j}}`
    };
    var def = {
      keyword: "uniqueItems",
      type: "array",
      schemaType: "boolean",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, $data, schema, parentSchema, schemaCode, it } = cxt;
        if (!$data && !schema)
          return;
        const valid = gen.let("valid");
        const itemTypes = parentSchema.items ? (0, dataType_1.getSchemaTypes)(parentSchema.items) : [];
        cxt.block$data(valid, validateUniqueItems, (0, codegen_1._)`${schemaCode} === false`);
        cxt.ok(valid);
        function validateUniqueItems() {
          const i2 = gen.let("i", (0, codegen_1._)`${data}.length`);
          const j = gen.let("j");
          cxt.setParams({ i: i2, j });
          gen.assign(valid, true);
          gen.if((0, codegen_1._)`${i2} > 1`, () => (canOptimize() ? loopN : loopN2)(i2, j));
        }
        function canOptimize() {
          return itemTypes.length > 0 && !itemTypes.some((t) => t === "object" || t === "array");
        }
        function loopN(i2, j) {
          const item = gen.name("item");
          const wrongType = (0, dataType_1.checkDataTypes)(itemTypes, item, it.opts.strictNumbers, dataType_1.DataType.Wrong);
          const indices = gen.const("indices", (0, codegen_1._)`{}`);
          gen.for((0, codegen_1._)`;${i2}--;`, () => {
            gen.let(item, (0, codegen_1._)`${data}[${i2}]`);
            gen.if(wrongType, (0, codegen_1._)`continue`);
            if (itemTypes.length > 1)
              gen.if((0, codegen_1._)`typeof ${item} == "string"`, (0, codegen_1._)`${item} += "_"`);
            gen.if((0, codegen_1._)`typeof ${indices}[${item}] == "number"`, () => {
              gen.assign(j, (0, codegen_1._)`${indices}[${item}]`);
              cxt.error();
              gen.assign(valid, false).break();
            }).code((0, codegen_1._)`${indices}[${item}] = ${i2}`);
          });
        }
        function loopN2(i2, j) {
          const eql = (0, util_1.useFunc)(gen, equal_1.default);
          const outer = gen.name("outer");
          gen.label(outer).for((0, codegen_1._)`;${i2}--;`, () => gen.for((0, codegen_1._)`${j} = ${i2}; ${j}--;`, () => gen.if((0, codegen_1._)`${eql}(${data}[${i2}], ${data}[${j}])`, () => {
            cxt.error();
            gen.assign(valid, false).break(outer);
          })));
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/const.js
var require_const = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/const.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var equal_1 = require_equal();
    var error = {
      message: "must be equal to constant",
      params: ({ schemaCode }) => (0, codegen_1._)`{allowedValue: ${schemaCode}}`
    };
    var def = {
      keyword: "const",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, $data, schemaCode, schema } = cxt;
        if ($data || schema && typeof schema == "object") {
          cxt.fail$data((0, codegen_1._)`!${(0, util_1.useFunc)(gen, equal_1.default)}(${data}, ${schemaCode})`);
        } else {
          cxt.fail((0, codegen_1._)`${schema} !== ${data}`);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/enum.js
var require_enum = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/enum.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var equal_1 = require_equal();
    var error = {
      message: "must be equal to one of the allowed values",
      params: ({ schemaCode }) => (0, codegen_1._)`{allowedValues: ${schemaCode}}`
    };
    var def = {
      keyword: "enum",
      schemaType: "array",
      $data: true,
      error,
      code(cxt) {
        const { gen, data, $data, schema, schemaCode, it } = cxt;
        if (!$data && schema.length === 0)
          throw new Error("enum must have non-empty array");
        const useLoop = schema.length >= it.opts.loopEnum;
        let eql;
        const getEql = () => eql !== null && eql !== void 0 ? eql : eql = (0, util_1.useFunc)(gen, equal_1.default);
        let valid;
        if (useLoop || $data) {
          valid = gen.let("valid");
          cxt.block$data(valid, loopEnum);
        } else {
          if (!Array.isArray(schema))
            throw new Error("ajv implementation error");
          const vSchema = gen.const("vSchema", schemaCode);
          valid = (0, codegen_1.or)(...schema.map((_x, i2) => equalCode(vSchema, i2)));
        }
        cxt.pass(valid);
        function loopEnum() {
          gen.assign(valid, false);
          gen.forOf("v", schemaCode, (v) => gen.if((0, codegen_1._)`${getEql()}(${data}, ${v})`, () => gen.assign(valid, true).break()));
        }
        function equalCode(vSchema, i2) {
          const sch = schema[i2];
          return typeof sch === "object" && sch !== null ? (0, codegen_1._)`${getEql()}(${data}, ${vSchema}[${i2}])` : (0, codegen_1._)`${data} === ${sch}`;
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/validation/index.js
var require_validation = __commonJS({
  "node_modules/ajv/dist/vocabularies/validation/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var limitNumber_1 = require_limitNumber();
    var multipleOf_1 = require_multipleOf();
    var limitLength_1 = require_limitLength();
    var pattern_1 = require_pattern();
    var limitProperties_1 = require_limitProperties();
    var required_1 = require_required();
    var limitItems_1 = require_limitItems();
    var uniqueItems_1 = require_uniqueItems();
    var const_1 = require_const();
    var enum_1 = require_enum();
    var validation = [
      // number
      limitNumber_1.default,
      multipleOf_1.default,
      // string
      limitLength_1.default,
      pattern_1.default,
      // object
      limitProperties_1.default,
      required_1.default,
      // array
      limitItems_1.default,
      uniqueItems_1.default,
      // any
      { keyword: "type", schemaType: ["string", "array"] },
      { keyword: "nullable", schemaType: "boolean" },
      const_1.default,
      enum_1.default
    ];
    exports.default = validation;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/additionalItems.js
var require_additionalItems = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/additionalItems.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateAdditionalItems = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var error = {
      message: ({ params: { len } }) => (0, codegen_1.str)`must NOT have more than ${len} items`,
      params: ({ params: { len } }) => (0, codegen_1._)`{limit: ${len}}`
    };
    var def = {
      keyword: "additionalItems",
      type: "array",
      schemaType: ["boolean", "object"],
      before: "uniqueItems",
      error,
      code(cxt) {
        const { parentSchema, it } = cxt;
        const { items } = parentSchema;
        if (!Array.isArray(items)) {
          (0, util_1.checkStrictMode)(it, '"additionalItems" is ignored when "items" is not an array of schemas');
          return;
        }
        validateAdditionalItems(cxt, items);
      }
    };
    function validateAdditionalItems(cxt, items) {
      const { gen, schema, data, keyword, it } = cxt;
      it.items = true;
      const len = gen.const("len", (0, codegen_1._)`${data}.length`);
      if (schema === false) {
        cxt.setParams({ len: items.length });
        cxt.pass((0, codegen_1._)`${len} <= ${items.length}`);
      } else if (typeof schema == "object" && !(0, util_1.alwaysValidSchema)(it, schema)) {
        const valid = gen.var("valid", (0, codegen_1._)`${len} <= ${items.length}`);
        gen.if((0, codegen_1.not)(valid), () => validateItems(valid));
        cxt.ok(valid);
      }
      function validateItems(valid) {
        gen.forRange("i", items.length, len, (i2) => {
          cxt.subschema({ keyword, dataProp: i2, dataPropType: util_1.Type.Num }, valid);
          if (!it.allErrors)
            gen.if((0, codegen_1.not)(valid), () => gen.break());
        });
      }
    }
    exports.validateAdditionalItems = validateAdditionalItems;
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/items.js
var require_items = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/items.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateTuple = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var code_1 = require_code2();
    var def = {
      keyword: "items",
      type: "array",
      schemaType: ["object", "array", "boolean"],
      before: "uniqueItems",
      code(cxt) {
        const { schema, it } = cxt;
        if (Array.isArray(schema))
          return validateTuple(cxt, "additionalItems", schema);
        it.items = true;
        if ((0, util_1.alwaysValidSchema)(it, schema))
          return;
        cxt.ok((0, code_1.validateArray)(cxt));
      }
    };
    function validateTuple(cxt, extraItems, schArr = cxt.schema) {
      const { gen, parentSchema, data, keyword, it } = cxt;
      checkStrictTuple(parentSchema);
      if (it.opts.unevaluated && schArr.length && it.items !== true) {
        it.items = util_1.mergeEvaluated.items(gen, schArr.length, it.items);
      }
      const valid = gen.name("valid");
      const len = gen.const("len", (0, codegen_1._)`${data}.length`);
      schArr.forEach((sch, i2) => {
        if ((0, util_1.alwaysValidSchema)(it, sch))
          return;
        gen.if((0, codegen_1._)`${len} > ${i2}`, () => cxt.subschema({
          keyword,
          schemaProp: i2,
          dataProp: i2
        }, valid));
        cxt.ok(valid);
      });
      function checkStrictTuple(sch) {
        const { opts: opts2, errSchemaPath } = it;
        const l = schArr.length;
        const fullTuple = l === sch.minItems && (l === sch.maxItems || sch[extraItems] === false);
        if (opts2.strictTuples && !fullTuple) {
          const msg = `"${keyword}" is ${l}-tuple, but minItems or maxItems/${extraItems} are not specified or different at path "${errSchemaPath}"`;
          (0, util_1.checkStrictMode)(it, msg, opts2.strictTuples);
        }
      }
    }
    exports.validateTuple = validateTuple;
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/prefixItems.js
var require_prefixItems = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/prefixItems.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var items_1 = require_items();
    var def = {
      keyword: "prefixItems",
      type: "array",
      schemaType: ["array"],
      before: "uniqueItems",
      code: (cxt) => (0, items_1.validateTuple)(cxt, "items")
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/items2020.js
var require_items2020 = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/items2020.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var code_1 = require_code2();
    var additionalItems_1 = require_additionalItems();
    var error = {
      message: ({ params: { len } }) => (0, codegen_1.str)`must NOT have more than ${len} items`,
      params: ({ params: { len } }) => (0, codegen_1._)`{limit: ${len}}`
    };
    var def = {
      keyword: "items",
      type: "array",
      schemaType: ["object", "boolean"],
      before: "uniqueItems",
      error,
      code(cxt) {
        const { schema, parentSchema, it } = cxt;
        const { prefixItems } = parentSchema;
        it.items = true;
        if ((0, util_1.alwaysValidSchema)(it, schema))
          return;
        if (prefixItems)
          (0, additionalItems_1.validateAdditionalItems)(cxt, prefixItems);
        else
          cxt.ok((0, code_1.validateArray)(cxt));
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/contains.js
var require_contains = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/contains.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var error = {
      message: ({ params: { min, max } }) => max === void 0 ? (0, codegen_1.str)`must contain at least ${min} valid item(s)` : (0, codegen_1.str)`must contain at least ${min} and no more than ${max} valid item(s)`,
      params: ({ params: { min, max } }) => max === void 0 ? (0, codegen_1._)`{minContains: ${min}}` : (0, codegen_1._)`{minContains: ${min}, maxContains: ${max}}`
    };
    var def = {
      keyword: "contains",
      type: "array",
      schemaType: ["object", "boolean"],
      before: "uniqueItems",
      trackErrors: true,
      error,
      code(cxt) {
        const { gen, schema, parentSchema, data, it } = cxt;
        let min;
        let max;
        const { minContains, maxContains } = parentSchema;
        if (it.opts.next) {
          min = minContains === void 0 ? 1 : minContains;
          max = maxContains;
        } else {
          min = 1;
        }
        const len = gen.const("len", (0, codegen_1._)`${data}.length`);
        cxt.setParams({ min, max });
        if (max === void 0 && min === 0) {
          (0, util_1.checkStrictMode)(it, `"minContains" == 0 without "maxContains": "contains" keyword ignored`);
          return;
        }
        if (max !== void 0 && min > max) {
          (0, util_1.checkStrictMode)(it, `"minContains" > "maxContains" is always invalid`);
          cxt.fail();
          return;
        }
        if ((0, util_1.alwaysValidSchema)(it, schema)) {
          let cond = (0, codegen_1._)`${len} >= ${min}`;
          if (max !== void 0)
            cond = (0, codegen_1._)`${cond} && ${len} <= ${max}`;
          cxt.pass(cond);
          return;
        }
        it.items = true;
        const valid = gen.name("valid");
        if (max === void 0 && min === 1) {
          validateItems(valid, () => gen.if(valid, () => gen.break()));
        } else if (min === 0) {
          gen.let(valid, true);
          if (max !== void 0)
            gen.if((0, codegen_1._)`${data}.length > 0`, validateItemsWithCount);
        } else {
          gen.let(valid, false);
          validateItemsWithCount();
        }
        cxt.result(valid, () => cxt.reset());
        function validateItemsWithCount() {
          const schValid = gen.name("_valid");
          const count = gen.let("count", 0);
          validateItems(schValid, () => gen.if(schValid, () => checkLimits(count)));
        }
        function validateItems(_valid, block) {
          gen.forRange("i", 0, len, (i2) => {
            cxt.subschema({
              keyword: "contains",
              dataProp: i2,
              dataPropType: util_1.Type.Num,
              compositeRule: true
            }, _valid);
            block();
          });
        }
        function checkLimits(count) {
          gen.code((0, codegen_1._)`${count}++`);
          if (max === void 0) {
            gen.if((0, codegen_1._)`${count} >= ${min}`, () => gen.assign(valid, true).break());
          } else {
            gen.if((0, codegen_1._)`${count} > ${max}`, () => gen.assign(valid, false).break());
            if (min === 1)
              gen.assign(valid, true);
            else
              gen.if((0, codegen_1._)`${count} >= ${min}`, () => gen.assign(valid, true));
          }
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/dependencies.js
var require_dependencies = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/dependencies.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.validateSchemaDeps = exports.validatePropertyDeps = exports.error = void 0;
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var code_1 = require_code2();
    exports.error = {
      message: ({ params: { property, depsCount, deps } }) => {
        const property_ies = depsCount === 1 ? "property" : "properties";
        return (0, codegen_1.str)`must have ${property_ies} ${deps} when property ${property} is present`;
      },
      params: ({ params: { property, depsCount, deps, missingProperty } }) => (0, codegen_1._)`{property: ${property},
    missingProperty: ${missingProperty},
    depsCount: ${depsCount},
    deps: ${deps}}`
      // TODO change to reference
    };
    var def = {
      keyword: "dependencies",
      type: "object",
      schemaType: "object",
      error: exports.error,
      code(cxt) {
        const [propDeps, schDeps] = splitDependencies(cxt);
        validatePropertyDeps(cxt, propDeps);
        validateSchemaDeps(cxt, schDeps);
      }
    };
    function splitDependencies({ schema }) {
      const propertyDeps = {};
      const schemaDeps = {};
      for (const key in schema) {
        if (key === "__proto__")
          continue;
        const deps = Array.isArray(schema[key]) ? propertyDeps : schemaDeps;
        deps[key] = schema[key];
      }
      return [propertyDeps, schemaDeps];
    }
    function validatePropertyDeps(cxt, propertyDeps = cxt.schema) {
      const { gen, data, it } = cxt;
      if (Object.keys(propertyDeps).length === 0)
        return;
      const missing = gen.let("missing");
      for (const prop in propertyDeps) {
        const deps = propertyDeps[prop];
        if (deps.length === 0)
          continue;
        const hasProperty = (0, code_1.propertyInData)(gen, data, prop, it.opts.ownProperties);
        cxt.setParams({
          property: prop,
          depsCount: deps.length,
          deps: deps.join(", ")
        });
        if (it.allErrors) {
          gen.if(hasProperty, () => {
            for (const depProp of deps) {
              (0, code_1.checkReportMissingProp)(cxt, depProp);
            }
          });
        } else {
          gen.if((0, codegen_1._)`${hasProperty} && (${(0, code_1.checkMissingProp)(cxt, deps, missing)})`);
          (0, code_1.reportMissingProp)(cxt, missing);
          gen.else();
        }
      }
    }
    exports.validatePropertyDeps = validatePropertyDeps;
    function validateSchemaDeps(cxt, schemaDeps = cxt.schema) {
      const { gen, data, keyword, it } = cxt;
      const valid = gen.name("valid");
      for (const prop in schemaDeps) {
        if ((0, util_1.alwaysValidSchema)(it, schemaDeps[prop]))
          continue;
        gen.if(
          (0, code_1.propertyInData)(gen, data, prop, it.opts.ownProperties),
          () => {
            const schCxt = cxt.subschema({ keyword, schemaProp: prop }, valid);
            cxt.mergeValidEvaluated(schCxt, valid);
          },
          () => gen.var(valid, true)
          // TODO var
        );
        cxt.ok(valid);
      }
    }
    exports.validateSchemaDeps = validateSchemaDeps;
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/propertyNames.js
var require_propertyNames = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/propertyNames.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var error = {
      message: "property name must be valid",
      params: ({ params }) => (0, codegen_1._)`{propertyName: ${params.propertyName}}`
    };
    var def = {
      keyword: "propertyNames",
      type: "object",
      schemaType: ["object", "boolean"],
      error,
      code(cxt) {
        const { gen, schema, data, it } = cxt;
        if ((0, util_1.alwaysValidSchema)(it, schema))
          return;
        const valid = gen.name("valid");
        gen.forIn("key", data, (key) => {
          cxt.setParams({ propertyName: key });
          cxt.subschema({
            keyword: "propertyNames",
            data: key,
            dataTypes: ["string"],
            propertyName: key,
            compositeRule: true
          }, valid);
          gen.if((0, codegen_1.not)(valid), () => {
            cxt.error(true);
            if (!it.allErrors)
              gen.break();
          });
        });
        cxt.ok(valid);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/additionalProperties.js
var require_additionalProperties = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/additionalProperties.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var codegen_1 = require_codegen();
    var names_1 = require_names();
    var util_1 = require_util();
    var error = {
      message: "must NOT have additional properties",
      params: ({ params }) => (0, codegen_1._)`{additionalProperty: ${params.additionalProperty}}`
    };
    var def = {
      keyword: "additionalProperties",
      type: ["object"],
      schemaType: ["boolean", "object"],
      allowUndefined: true,
      trackErrors: true,
      error,
      code(cxt) {
        const { gen, schema, parentSchema, data, errsCount, it } = cxt;
        if (!errsCount)
          throw new Error("ajv implementation error");
        const { allErrors, opts: opts2 } = it;
        it.props = true;
        if (opts2.removeAdditional !== "all" && (0, util_1.alwaysValidSchema)(it, schema))
          return;
        const props = (0, code_1.allSchemaProperties)(parentSchema.properties);
        const patProps = (0, code_1.allSchemaProperties)(parentSchema.patternProperties);
        checkAdditionalProperties();
        cxt.ok((0, codegen_1._)`${errsCount} === ${names_1.default.errors}`);
        function checkAdditionalProperties() {
          gen.forIn("key", data, (key) => {
            if (!props.length && !patProps.length)
              additionalPropertyCode(key);
            else
              gen.if(isAdditional(key), () => additionalPropertyCode(key));
          });
        }
        function isAdditional(key) {
          let definedProp;
          if (props.length > 8) {
            const propsSchema = (0, util_1.schemaRefOrVal)(it, parentSchema.properties, "properties");
            definedProp = (0, code_1.isOwnProperty)(gen, propsSchema, key);
          } else if (props.length) {
            definedProp = (0, codegen_1.or)(...props.map((p) => (0, codegen_1._)`${key} === ${p}`));
          } else {
            definedProp = codegen_1.nil;
          }
          if (patProps.length) {
            definedProp = (0, codegen_1.or)(definedProp, ...patProps.map((p) => (0, codegen_1._)`${(0, code_1.usePattern)(cxt, p)}.test(${key})`));
          }
          return (0, codegen_1.not)(definedProp);
        }
        function deleteAdditional(key) {
          gen.code((0, codegen_1._)`delete ${data}[${key}]`);
        }
        function additionalPropertyCode(key) {
          if (opts2.removeAdditional === "all" || opts2.removeAdditional && schema === false) {
            deleteAdditional(key);
            return;
          }
          if (schema === false) {
            cxt.setParams({ additionalProperty: key });
            cxt.error();
            if (!allErrors)
              gen.break();
            return;
          }
          if (typeof schema == "object" && !(0, util_1.alwaysValidSchema)(it, schema)) {
            const valid = gen.name("valid");
            if (opts2.removeAdditional === "failing") {
              applyAdditionalSchema(key, valid, false);
              gen.if((0, codegen_1.not)(valid), () => {
                cxt.reset();
                deleteAdditional(key);
              });
            } else {
              applyAdditionalSchema(key, valid);
              if (!allErrors)
                gen.if((0, codegen_1.not)(valid), () => gen.break());
            }
          }
        }
        function applyAdditionalSchema(key, valid, errors) {
          const subschema = {
            keyword: "additionalProperties",
            dataProp: key,
            dataPropType: util_1.Type.Str
          };
          if (errors === false) {
            Object.assign(subschema, {
              compositeRule: true,
              createErrors: false,
              allErrors: false
            });
          }
          cxt.subschema(subschema, valid);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/properties.js
var require_properties = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/properties.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var validate_1 = require_validate();
    var code_1 = require_code2();
    var util_1 = require_util();
    var additionalProperties_1 = require_additionalProperties();
    var def = {
      keyword: "properties",
      type: "object",
      schemaType: "object",
      code(cxt) {
        const { gen, schema, parentSchema, data, it } = cxt;
        if (it.opts.removeAdditional === "all" && parentSchema.additionalProperties === void 0) {
          additionalProperties_1.default.code(new validate_1.KeywordCxt(it, additionalProperties_1.default, "additionalProperties"));
        }
        const allProps = (0, code_1.allSchemaProperties)(schema);
        for (const prop of allProps) {
          it.definedProperties.add(prop);
        }
        if (it.opts.unevaluated && allProps.length && it.props !== true) {
          it.props = util_1.mergeEvaluated.props(gen, (0, util_1.toHash)(allProps), it.props);
        }
        const properties = allProps.filter((p) => !(0, util_1.alwaysValidSchema)(it, schema[p]));
        if (properties.length === 0)
          return;
        const valid = gen.name("valid");
        for (const prop of properties) {
          if (hasDefault(prop)) {
            applyPropertySchema(prop);
          } else {
            gen.if((0, code_1.propertyInData)(gen, data, prop, it.opts.ownProperties));
            applyPropertySchema(prop);
            if (!it.allErrors)
              gen.else().var(valid, true);
            gen.endIf();
          }
          cxt.it.definedProperties.add(prop);
          cxt.ok(valid);
        }
        function hasDefault(prop) {
          return it.opts.useDefaults && !it.compositeRule && schema[prop].default !== void 0;
        }
        function applyPropertySchema(prop) {
          cxt.subschema({
            keyword: "properties",
            schemaProp: prop,
            dataProp: prop
          }, valid);
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/patternProperties.js
var require_patternProperties = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/patternProperties.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var util_2 = require_util();
    var def = {
      keyword: "patternProperties",
      type: "object",
      schemaType: "object",
      code(cxt) {
        const { gen, schema, data, parentSchema, it } = cxt;
        const { opts: opts2 } = it;
        const patterns = (0, code_1.allSchemaProperties)(schema);
        const alwaysValidPatterns = patterns.filter((p) => (0, util_1.alwaysValidSchema)(it, schema[p]));
        if (patterns.length === 0 || alwaysValidPatterns.length === patterns.length && (!it.opts.unevaluated || it.props === true)) {
          return;
        }
        const checkProperties = opts2.strictSchema && !opts2.allowMatchingProperties && parentSchema.properties;
        const valid = gen.name("valid");
        if (it.props !== true && !(it.props instanceof codegen_1.Name)) {
          it.props = (0, util_2.evaluatedPropsToName)(gen, it.props);
        }
        const { props } = it;
        validatePatternProperties();
        function validatePatternProperties() {
          for (const pat of patterns) {
            if (checkProperties)
              checkMatchingProperties(pat);
            if (it.allErrors) {
              validateProperties(pat);
            } else {
              gen.var(valid, true);
              validateProperties(pat);
              gen.if(valid);
            }
          }
        }
        function checkMatchingProperties(pat) {
          for (const prop in checkProperties) {
            if (new RegExp(pat).test(prop)) {
              (0, util_1.checkStrictMode)(it, `property ${prop} matches pattern ${pat} (use allowMatchingProperties)`);
            }
          }
        }
        function validateProperties(pat) {
          gen.forIn("key", data, (key) => {
            gen.if((0, codegen_1._)`${(0, code_1.usePattern)(cxt, pat)}.test(${key})`, () => {
              const alwaysValid = alwaysValidPatterns.includes(pat);
              if (!alwaysValid) {
                cxt.subschema({
                  keyword: "patternProperties",
                  schemaProp: pat,
                  dataProp: key,
                  dataPropType: util_2.Type.Str
                }, valid);
              }
              if (it.opts.unevaluated && props !== true) {
                gen.assign((0, codegen_1._)`${props}[${key}]`, true);
              } else if (!alwaysValid && !it.allErrors) {
                gen.if((0, codegen_1.not)(valid), () => gen.break());
              }
            });
          });
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/not.js
var require_not = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/not.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var util_1 = require_util();
    var def = {
      keyword: "not",
      schemaType: ["object", "boolean"],
      trackErrors: true,
      code(cxt) {
        const { gen, schema, it } = cxt;
        if ((0, util_1.alwaysValidSchema)(it, schema)) {
          cxt.fail();
          return;
        }
        const valid = gen.name("valid");
        cxt.subschema({
          keyword: "not",
          compositeRule: true,
          createErrors: false,
          allErrors: false
        }, valid);
        cxt.failResult(valid, () => cxt.reset(), () => cxt.error());
      },
      error: { message: "must NOT be valid" }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/anyOf.js
var require_anyOf = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/anyOf.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var code_1 = require_code2();
    var def = {
      keyword: "anyOf",
      schemaType: "array",
      trackErrors: true,
      code: code_1.validateUnion,
      error: { message: "must match a schema in anyOf" }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/oneOf.js
var require_oneOf = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/oneOf.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var error = {
      message: "must match exactly one schema in oneOf",
      params: ({ params }) => (0, codegen_1._)`{passingSchemas: ${params.passing}}`
    };
    var def = {
      keyword: "oneOf",
      schemaType: "array",
      trackErrors: true,
      error,
      code(cxt) {
        const { gen, schema, parentSchema, it } = cxt;
        if (!Array.isArray(schema))
          throw new Error("ajv implementation error");
        if (it.opts.discriminator && parentSchema.discriminator)
          return;
        const schArr = schema;
        const valid = gen.let("valid", false);
        const passing = gen.let("passing", null);
        const schValid = gen.name("_valid");
        cxt.setParams({ passing });
        gen.block(validateOneOf);
        cxt.result(valid, () => cxt.reset(), () => cxt.error(true));
        function validateOneOf() {
          schArr.forEach((sch, i2) => {
            let schCxt;
            if ((0, util_1.alwaysValidSchema)(it, sch)) {
              gen.var(schValid, true);
            } else {
              schCxt = cxt.subschema({
                keyword: "oneOf",
                schemaProp: i2,
                compositeRule: true
              }, schValid);
            }
            if (i2 > 0) {
              gen.if((0, codegen_1._)`${schValid} && ${valid}`).assign(valid, false).assign(passing, (0, codegen_1._)`[${passing}, ${i2}]`).else();
            }
            gen.if(schValid, () => {
              gen.assign(valid, true);
              gen.assign(passing, i2);
              if (schCxt)
                cxt.mergeEvaluated(schCxt, codegen_1.Name);
            });
          });
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/allOf.js
var require_allOf = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/allOf.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var util_1 = require_util();
    var def = {
      keyword: "allOf",
      schemaType: "array",
      code(cxt) {
        const { gen, schema, it } = cxt;
        if (!Array.isArray(schema))
          throw new Error("ajv implementation error");
        const valid = gen.name("valid");
        schema.forEach((sch, i2) => {
          if ((0, util_1.alwaysValidSchema)(it, sch))
            return;
          const schCxt = cxt.subschema({ keyword: "allOf", schemaProp: i2 }, valid);
          cxt.ok(valid);
          cxt.mergeEvaluated(schCxt);
        });
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/if.js
var require_if = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/if.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var util_1 = require_util();
    var error = {
      message: ({ params }) => (0, codegen_1.str)`must match "${params.ifClause}" schema`,
      params: ({ params }) => (0, codegen_1._)`{failingKeyword: ${params.ifClause}}`
    };
    var def = {
      keyword: "if",
      schemaType: ["object", "boolean"],
      trackErrors: true,
      error,
      code(cxt) {
        const { gen, parentSchema, it } = cxt;
        if (parentSchema.then === void 0 && parentSchema.else === void 0) {
          (0, util_1.checkStrictMode)(it, '"if" without "then" and "else" is ignored');
        }
        const hasThen = hasSchema(it, "then");
        const hasElse = hasSchema(it, "else");
        if (!hasThen && !hasElse)
          return;
        const valid = gen.let("valid", true);
        const schValid = gen.name("_valid");
        validateIf();
        cxt.reset();
        if (hasThen && hasElse) {
          const ifClause = gen.let("ifClause");
          cxt.setParams({ ifClause });
          gen.if(schValid, validateClause("then", ifClause), validateClause("else", ifClause));
        } else if (hasThen) {
          gen.if(schValid, validateClause("then"));
        } else {
          gen.if((0, codegen_1.not)(schValid), validateClause("else"));
        }
        cxt.pass(valid, () => cxt.error(true));
        function validateIf() {
          const schCxt = cxt.subschema({
            keyword: "if",
            compositeRule: true,
            createErrors: false,
            allErrors: false
          }, schValid);
          cxt.mergeEvaluated(schCxt);
        }
        function validateClause(keyword, ifClause) {
          return () => {
            const schCxt = cxt.subschema({ keyword }, schValid);
            gen.assign(valid, schValid);
            cxt.mergeValidEvaluated(schCxt, valid);
            if (ifClause)
              gen.assign(ifClause, (0, codegen_1._)`${keyword}`);
            else
              cxt.setParams({ ifClause: keyword });
          };
        }
      }
    };
    function hasSchema(it, keyword) {
      const schema = it.schema[keyword];
      return schema !== void 0 && !(0, util_1.alwaysValidSchema)(it, schema);
    }
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/thenElse.js
var require_thenElse = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/thenElse.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var util_1 = require_util();
    var def = {
      keyword: ["then", "else"],
      schemaType: ["object", "boolean"],
      code({ keyword, parentSchema, it }) {
        if (parentSchema.if === void 0)
          (0, util_1.checkStrictMode)(it, `"${keyword}" without "if" is ignored`);
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/applicator/index.js
var require_applicator = __commonJS({
  "node_modules/ajv/dist/vocabularies/applicator/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var additionalItems_1 = require_additionalItems();
    var prefixItems_1 = require_prefixItems();
    var items_1 = require_items();
    var items2020_1 = require_items2020();
    var contains_1 = require_contains();
    var dependencies_1 = require_dependencies();
    var propertyNames_1 = require_propertyNames();
    var additionalProperties_1 = require_additionalProperties();
    var properties_1 = require_properties();
    var patternProperties_1 = require_patternProperties();
    var not_1 = require_not();
    var anyOf_1 = require_anyOf();
    var oneOf_1 = require_oneOf();
    var allOf_1 = require_allOf();
    var if_1 = require_if();
    var thenElse_1 = require_thenElse();
    function getApplicator(draft2020 = false) {
      const applicator = [
        // any
        not_1.default,
        anyOf_1.default,
        oneOf_1.default,
        allOf_1.default,
        if_1.default,
        thenElse_1.default,
        // object
        propertyNames_1.default,
        additionalProperties_1.default,
        dependencies_1.default,
        properties_1.default,
        patternProperties_1.default
      ];
      if (draft2020)
        applicator.push(prefixItems_1.default, items2020_1.default);
      else
        applicator.push(additionalItems_1.default, items_1.default);
      applicator.push(contains_1.default);
      return applicator;
    }
    exports.default = getApplicator;
  }
});

// node_modules/ajv/dist/vocabularies/format/format.js
var require_format = __commonJS({
  "node_modules/ajv/dist/vocabularies/format/format.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var error = {
      message: ({ schemaCode }) => (0, codegen_1.str)`must match format "${schemaCode}"`,
      params: ({ schemaCode }) => (0, codegen_1._)`{format: ${schemaCode}}`
    };
    var def = {
      keyword: "format",
      type: ["number", "string"],
      schemaType: "string",
      $data: true,
      error,
      code(cxt, ruleType) {
        const { gen, data, $data, schema, schemaCode, it } = cxt;
        const { opts: opts2, errSchemaPath, schemaEnv, self: self2 } = it;
        if (!opts2.validateFormats)
          return;
        if ($data)
          validate$DataFormat();
        else
          validateFormat();
        function validate$DataFormat() {
          const fmts = gen.scopeValue("formats", {
            ref: self2.formats,
            code: opts2.code.formats
          });
          const fDef = gen.const("fDef", (0, codegen_1._)`${fmts}[${schemaCode}]`);
          const fType = gen.let("fType");
          const format = gen.let("format");
          gen.if((0, codegen_1._)`typeof ${fDef} == "object" && !(${fDef} instanceof RegExp)`, () => gen.assign(fType, (0, codegen_1._)`${fDef}.type || "string"`).assign(format, (0, codegen_1._)`${fDef}.validate`), () => gen.assign(fType, (0, codegen_1._)`"string"`).assign(format, fDef));
          cxt.fail$data((0, codegen_1.or)(unknownFmt(), invalidFmt()));
          function unknownFmt() {
            if (opts2.strictSchema === false)
              return codegen_1.nil;
            return (0, codegen_1._)`${schemaCode} && !${format}`;
          }
          function invalidFmt() {
            const callFormat = schemaEnv.$async ? (0, codegen_1._)`(${fDef}.async ? await ${format}(${data}) : ${format}(${data}))` : (0, codegen_1._)`${format}(${data})`;
            const validData = (0, codegen_1._)`(typeof ${format} == "function" ? ${callFormat} : ${format}.test(${data}))`;
            return (0, codegen_1._)`${format} && ${format} !== true && ${fType} === ${ruleType} && !${validData}`;
          }
        }
        function validateFormat() {
          const formatDef = self2.formats[schema];
          if (!formatDef) {
            unknownFormat();
            return;
          }
          if (formatDef === true)
            return;
          const [fmtType, format, fmtRef] = getFormat(formatDef);
          if (fmtType === ruleType)
            cxt.pass(validCondition());
          function unknownFormat() {
            if (opts2.strictSchema === false) {
              self2.logger.warn(unknownMsg());
              return;
            }
            throw new Error(unknownMsg());
            function unknownMsg() {
              return `unknown format "${schema}" ignored in schema at path "${errSchemaPath}"`;
            }
          }
          function getFormat(fmtDef) {
            const code = fmtDef instanceof RegExp ? (0, codegen_1.regexpCode)(fmtDef) : opts2.code.formats ? (0, codegen_1._)`${opts2.code.formats}${(0, codegen_1.getProperty)(schema)}` : void 0;
            const fmt = gen.scopeValue("formats", { key: schema, ref: fmtDef, code });
            if (typeof fmtDef == "object" && !(fmtDef instanceof RegExp)) {
              return [fmtDef.type || "string", fmtDef.validate, (0, codegen_1._)`${fmt}.validate`];
            }
            return ["string", fmtDef, fmt];
          }
          function validCondition() {
            if (typeof formatDef == "object" && !(formatDef instanceof RegExp) && formatDef.async) {
              if (!schemaEnv.$async)
                throw new Error("async format in sync schema");
              return (0, codegen_1._)`await ${fmtRef}(${data})`;
            }
            return typeof format == "function" ? (0, codegen_1._)`${fmtRef}(${data})` : (0, codegen_1._)`${fmtRef}.test(${data})`;
          }
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/vocabularies/format/index.js
var require_format2 = __commonJS({
  "node_modules/ajv/dist/vocabularies/format/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var format_1 = require_format();
    var format = [format_1.default];
    exports.default = format;
  }
});

// node_modules/ajv/dist/vocabularies/metadata.js
var require_metadata = __commonJS({
  "node_modules/ajv/dist/vocabularies/metadata.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.contentVocabulary = exports.metadataVocabulary = void 0;
    exports.metadataVocabulary = [
      "title",
      "description",
      "default",
      "deprecated",
      "readOnly",
      "writeOnly",
      "examples"
    ];
    exports.contentVocabulary = [
      "contentMediaType",
      "contentEncoding",
      "contentSchema"
    ];
  }
});

// node_modules/ajv/dist/vocabularies/draft7.js
var require_draft7 = __commonJS({
  "node_modules/ajv/dist/vocabularies/draft7.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var core_1 = require_core2();
    var validation_1 = require_validation();
    var applicator_1 = require_applicator();
    var format_1 = require_format2();
    var metadata_1 = require_metadata();
    var draft7Vocabularies = [
      core_1.default,
      validation_1.default,
      (0, applicator_1.default)(),
      format_1.default,
      metadata_1.metadataVocabulary,
      metadata_1.contentVocabulary
    ];
    exports.default = draft7Vocabularies;
  }
});

// node_modules/ajv/dist/vocabularies/discriminator/types.js
var require_types = __commonJS({
  "node_modules/ajv/dist/vocabularies/discriminator/types.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DiscrError = void 0;
    var DiscrError;
    (function(DiscrError2) {
      DiscrError2["Tag"] = "tag";
      DiscrError2["Mapping"] = "mapping";
    })(DiscrError || (exports.DiscrError = DiscrError = {}));
  }
});

// node_modules/ajv/dist/vocabularies/discriminator/index.js
var require_discriminator = __commonJS({
  "node_modules/ajv/dist/vocabularies/discriminator/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var codegen_1 = require_codegen();
    var types_1 = require_types();
    var compile_1 = require_compile();
    var ref_error_1 = require_ref_error();
    var util_1 = require_util();
    var error = {
      message: ({ params: { discrError, tagName } }) => discrError === types_1.DiscrError.Tag ? `tag "${tagName}" must be string` : `value of tag "${tagName}" must be in oneOf`,
      params: ({ params: { discrError, tag, tagName } }) => (0, codegen_1._)`{error: ${discrError}, tag: ${tagName}, tagValue: ${tag}}`
    };
    var def = {
      keyword: "discriminator",
      type: "object",
      schemaType: "object",
      error,
      code(cxt) {
        const { gen, data, schema, parentSchema, it } = cxt;
        const { oneOf } = parentSchema;
        if (!it.opts.discriminator) {
          throw new Error("discriminator: requires discriminator option");
        }
        const tagName = schema.propertyName;
        if (typeof tagName != "string")
          throw new Error("discriminator: requires propertyName");
        if (schema.mapping)
          throw new Error("discriminator: mapping is not supported");
        if (!oneOf)
          throw new Error("discriminator: requires oneOf keyword");
        const valid = gen.let("valid", false);
        const tag = gen.const("tag", (0, codegen_1._)`${data}${(0, codegen_1.getProperty)(tagName)}`);
        gen.if((0, codegen_1._)`typeof ${tag} == "string"`, () => validateMapping(), () => cxt.error(false, { discrError: types_1.DiscrError.Tag, tag, tagName }));
        cxt.ok(valid);
        function validateMapping() {
          const mapping = getMapping();
          gen.if(false);
          for (const tagValue2 in mapping) {
            gen.elseIf((0, codegen_1._)`${tag} === ${tagValue2}`);
            gen.assign(valid, applyTagSchema(mapping[tagValue2]));
          }
          gen.else();
          cxt.error(false, { discrError: types_1.DiscrError.Mapping, tag, tagName });
          gen.endIf();
        }
        function applyTagSchema(schemaProp) {
          const _valid = gen.name("valid");
          const schCxt = cxt.subschema({ keyword: "oneOf", schemaProp }, _valid);
          cxt.mergeEvaluated(schCxt, codegen_1.Name);
          return _valid;
        }
        function getMapping() {
          var _a;
          const oneOfMapping = {};
          const topRequired = hasRequired(parentSchema);
          let tagRequired = true;
          for (let i2 = 0; i2 < oneOf.length; i2++) {
            let sch = oneOf[i2];
            if ((sch === null || sch === void 0 ? void 0 : sch.$ref) && !(0, util_1.schemaHasRulesButRef)(sch, it.self.RULES)) {
              const ref = sch.$ref;
              sch = compile_1.resolveRef.call(it.self, it.schemaEnv.root, it.baseId, ref);
              if (sch instanceof compile_1.SchemaEnv)
                sch = sch.schema;
              if (sch === void 0)
                throw new ref_error_1.default(it.opts.uriResolver, it.baseId, ref);
            }
            const propSch = (_a = sch === null || sch === void 0 ? void 0 : sch.properties) === null || _a === void 0 ? void 0 : _a[tagName];
            if (typeof propSch != "object") {
              throw new Error(`discriminator: oneOf subschemas (or referenced schemas) must have "properties/${tagName}"`);
            }
            tagRequired = tagRequired && (topRequired || hasRequired(sch));
            addMappings(propSch, i2);
          }
          if (!tagRequired)
            throw new Error(`discriminator: "${tagName}" must be required`);
          return oneOfMapping;
          function hasRequired({ required }) {
            return Array.isArray(required) && required.includes(tagName);
          }
          function addMappings(sch, i2) {
            if (sch.const) {
              addMapping(sch.const, i2);
            } else if (sch.enum) {
              for (const tagValue2 of sch.enum) {
                addMapping(tagValue2, i2);
              }
            } else {
              throw new Error(`discriminator: "properties/${tagName}" must have "const" or "enum"`);
            }
          }
          function addMapping(tagValue2, i2) {
            if (typeof tagValue2 != "string" || tagValue2 in oneOfMapping) {
              throw new Error(`discriminator: "${tagName}" values must be unique strings`);
            }
            oneOfMapping[tagValue2] = i2;
          }
        }
      }
    };
    exports.default = def;
  }
});

// node_modules/ajv/dist/refs/json-schema-draft-07.json
var require_json_schema_draft_07 = __commonJS({
  "node_modules/ajv/dist/refs/json-schema-draft-07.json"(exports, module2) {
    module2.exports = {
      $schema: "http://json-schema.org/draft-07/schema#",
      $id: "http://json-schema.org/draft-07/schema#",
      title: "Core schema meta-schema",
      definitions: {
        schemaArray: {
          type: "array",
          minItems: 1,
          items: { $ref: "#" }
        },
        nonNegativeInteger: {
          type: "integer",
          minimum: 0
        },
        nonNegativeIntegerDefault0: {
          allOf: [{ $ref: "#/definitions/nonNegativeInteger" }, { default: 0 }]
        },
        simpleTypes: {
          enum: ["array", "boolean", "integer", "null", "number", "object", "string"]
        },
        stringArray: {
          type: "array",
          items: { type: "string" },
          uniqueItems: true,
          default: []
        }
      },
      type: ["object", "boolean"],
      properties: {
        $id: {
          type: "string",
          format: "uri-reference"
        },
        $schema: {
          type: "string",
          format: "uri"
        },
        $ref: {
          type: "string",
          format: "uri-reference"
        },
        $comment: {
          type: "string"
        },
        title: {
          type: "string"
        },
        description: {
          type: "string"
        },
        default: true,
        readOnly: {
          type: "boolean",
          default: false
        },
        examples: {
          type: "array",
          items: true
        },
        multipleOf: {
          type: "number",
          exclusiveMinimum: 0
        },
        maximum: {
          type: "number"
        },
        exclusiveMaximum: {
          type: "number"
        },
        minimum: {
          type: "number"
        },
        exclusiveMinimum: {
          type: "number"
        },
        maxLength: { $ref: "#/definitions/nonNegativeInteger" },
        minLength: { $ref: "#/definitions/nonNegativeIntegerDefault0" },
        pattern: {
          type: "string",
          format: "regex"
        },
        additionalItems: { $ref: "#" },
        items: {
          anyOf: [{ $ref: "#" }, { $ref: "#/definitions/schemaArray" }],
          default: true
        },
        maxItems: { $ref: "#/definitions/nonNegativeInteger" },
        minItems: { $ref: "#/definitions/nonNegativeIntegerDefault0" },
        uniqueItems: {
          type: "boolean",
          default: false
        },
        contains: { $ref: "#" },
        maxProperties: { $ref: "#/definitions/nonNegativeInteger" },
        minProperties: { $ref: "#/definitions/nonNegativeIntegerDefault0" },
        required: { $ref: "#/definitions/stringArray" },
        additionalProperties: { $ref: "#" },
        definitions: {
          type: "object",
          additionalProperties: { $ref: "#" },
          default: {}
        },
        properties: {
          type: "object",
          additionalProperties: { $ref: "#" },
          default: {}
        },
        patternProperties: {
          type: "object",
          additionalProperties: { $ref: "#" },
          propertyNames: { format: "regex" },
          default: {}
        },
        dependencies: {
          type: "object",
          additionalProperties: {
            anyOf: [{ $ref: "#" }, { $ref: "#/definitions/stringArray" }]
          }
        },
        propertyNames: { $ref: "#" },
        const: true,
        enum: {
          type: "array",
          items: true,
          minItems: 1,
          uniqueItems: true
        },
        type: {
          anyOf: [
            { $ref: "#/definitions/simpleTypes" },
            {
              type: "array",
              items: { $ref: "#/definitions/simpleTypes" },
              minItems: 1,
              uniqueItems: true
            }
          ]
        },
        format: { type: "string" },
        contentMediaType: { type: "string" },
        contentEncoding: { type: "string" },
        if: { $ref: "#" },
        then: { $ref: "#" },
        else: { $ref: "#" },
        allOf: { $ref: "#/definitions/schemaArray" },
        anyOf: { $ref: "#/definitions/schemaArray" },
        oneOf: { $ref: "#/definitions/schemaArray" },
        not: { $ref: "#" }
      },
      default: true
    };
  }
});

// node_modules/ajv/dist/ajv.js
var require_ajv = __commonJS({
  "node_modules/ajv/dist/ajv.js"(exports, module2) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.MissingRefError = exports.ValidationError = exports.CodeGen = exports.Name = exports.nil = exports.stringify = exports.str = exports._ = exports.KeywordCxt = exports.Ajv = void 0;
    var core_1 = require_core();
    var draft7_1 = require_draft7();
    var discriminator_1 = require_discriminator();
    var draft7MetaSchema = require_json_schema_draft_07();
    var META_SUPPORT_DATA = ["/properties"];
    var META_SCHEMA_ID = "http://json-schema.org/draft-07/schema";
    var Ajv2 = class extends core_1.default {
      _addVocabularies() {
        super._addVocabularies();
        draft7_1.default.forEach((v) => this.addVocabulary(v));
        if (this.opts.discriminator)
          this.addKeyword(discriminator_1.default);
      }
      _addDefaultMetaSchema() {
        super._addDefaultMetaSchema();
        if (!this.opts.meta)
          return;
        const metaSchema = this.opts.$data ? this.$dataMetaSchema(draft7MetaSchema, META_SUPPORT_DATA) : draft7MetaSchema;
        this.addMetaSchema(metaSchema, META_SCHEMA_ID, false);
        this.refs["http://json-schema.org/schema"] = META_SCHEMA_ID;
      }
      defaultMeta() {
        return this.opts.defaultMeta = super.defaultMeta() || (this.getSchema(META_SCHEMA_ID) ? META_SCHEMA_ID : void 0);
      }
    };
    exports.Ajv = Ajv2;
    module2.exports = exports = Ajv2;
    module2.exports.Ajv = Ajv2;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.default = Ajv2;
    var validate_1 = require_validate();
    Object.defineProperty(exports, "KeywordCxt", { enumerable: true, get: function() {
      return validate_1.KeywordCxt;
    } });
    var codegen_1 = require_codegen();
    Object.defineProperty(exports, "_", { enumerable: true, get: function() {
      return codegen_1._;
    } });
    Object.defineProperty(exports, "str", { enumerable: true, get: function() {
      return codegen_1.str;
    } });
    Object.defineProperty(exports, "stringify", { enumerable: true, get: function() {
      return codegen_1.stringify;
    } });
    Object.defineProperty(exports, "nil", { enumerable: true, get: function() {
      return codegen_1.nil;
    } });
    Object.defineProperty(exports, "Name", { enumerable: true, get: function() {
      return codegen_1.Name;
    } });
    Object.defineProperty(exports, "CodeGen", { enumerable: true, get: function() {
      return codegen_1.CodeGen;
    } });
    var validation_error_1 = require_validation_error();
    Object.defineProperty(exports, "ValidationError", { enumerable: true, get: function() {
      return validation_error_1.default;
    } });
    var ref_error_1 = require_ref_error();
    Object.defineProperty(exports, "MissingRefError", { enumerable: true, get: function() {
      return ref_error_1.default;
    } });
  }
});

// src/cli.ts
import { realpathSync } from "node:fs";
import { fileURLToPath as fileURLToPath2 } from "node:url";
import { parseArgs } from "node:util";

// src/core/config/load.ts
var import_ajv = __toESM(require_ajv(), 1);

// node_modules/js-yaml/dist/js-yaml.mjs
var NOT_RESOLVED = /* @__PURE__ */ Symbol("NOT_RESOLVED");
function defineScalarTag(tagName, options) {
  return {
    tagName,
    nodeKind: "scalar",
    implicit: options.implicit ?? false,
    matchByTagPrefix: options.matchByTagPrefix ?? false,
    implicitFirstChars: options.implicitFirstChars ?? null,
    resolve: options.resolve,
    identify: options.identify,
    represent: options.represent ?? ((data) => String(data)),
    representTagName: options.representTagName ?? (() => tagName)
  };
}
function defineSequenceTag(tagName, options) {
  const carrierIsResult = options.finalize === void 0;
  return {
    tagName,
    nodeKind: "sequence",
    implicit: false,
    matchByTagPrefix: options.matchByTagPrefix ?? false,
    create: options.create,
    addItem: options.addItem,
    finalize: options.finalize ?? ((carrier) => carrier),
    carrierIsResult,
    identify: options.identify,
    represent: options.represent ?? ((data) => data),
    representTagName: options.representTagName ?? (() => tagName)
  };
}
function defineMappingTag(tagName, options) {
  const carrierIsResult = options.finalize === void 0;
  return {
    tagName,
    nodeKind: "mapping",
    implicit: false,
    matchByTagPrefix: options.matchByTagPrefix ?? false,
    create: options.create,
    addPair: options.addPair,
    has: options.has,
    keys: options.keys,
    get: options.get,
    finalize: options.finalize ?? ((carrier) => carrier),
    carrierIsResult,
    identify: options.identify,
    represent: options.represent ?? ((data) => data),
    representTagName: options.representTagName ?? (() => tagName)
  };
}
var strTag = defineScalarTag("tag:yaml.org,2002:str", {
  resolve: (source) => source,
  identify: (data) => typeof data === "string"
});
var NULL_VALUES$1 = [
  "",
  "~",
  "null",
  "Null",
  "NULL"
];
var nullCoreTag = defineScalarTag("tag:yaml.org,2002:null", {
  implicit: true,
  implicitFirstChars: [
    "",
    "~",
    "n",
    "N"
  ],
  resolve: (source) => {
    if (NULL_VALUES$1.indexOf(source) !== -1) return null;
    return NOT_RESOLVED;
  },
  identify: (object) => object === null,
  represent: () => "null"
});
var nullJsonTag = defineScalarTag("tag:yaml.org,2002:null", {
  implicit: true,
  implicitFirstChars: ["n"],
  resolve: (source, isExplicit) => {
    if (source === "null" || isExplicit && source === "") return null;
    return NOT_RESOLVED;
  },
  identify: (object) => object === null,
  represent: () => "null"
});
var NULL_VALUES = [
  "",
  "~",
  "null",
  "Null",
  "NULL"
];
var nullYaml11Tag = defineScalarTag("tag:yaml.org,2002:null", {
  implicit: true,
  implicitFirstChars: [
    "",
    "~",
    "n",
    "N"
  ],
  resolve: (source) => {
    if (NULL_VALUES.indexOf(source) !== -1) return null;
    return NOT_RESOLVED;
  },
  identify: (object) => object === null,
  represent: () => "null"
});
var TRUE_VALUES$2 = [
  "true",
  "True",
  "TRUE"
];
var FALSE_VALUES$2 = [
  "false",
  "False",
  "FALSE"
];
var boolCoreTag = defineScalarTag("tag:yaml.org,2002:bool", {
  implicit: true,
  implicitFirstChars: [
    "t",
    "T",
    "f",
    "F"
  ],
  resolve: (source) => {
    if (TRUE_VALUES$2.indexOf(source) !== -1) return true;
    if (FALSE_VALUES$2.indexOf(source) !== -1) return false;
    return NOT_RESOLVED;
  },
  identify: (object) => Object.prototype.toString.call(object) === "[object Boolean]",
  represent: (object) => object ? "true" : "false"
});
var TRUE_VALUES$1 = ["true"];
var FALSE_VALUES$1 = ["false"];
var boolJsonTag = defineScalarTag("tag:yaml.org,2002:bool", {
  implicit: true,
  implicitFirstChars: ["t", "f"],
  resolve: (source) => {
    if (TRUE_VALUES$1.indexOf(source) !== -1) return true;
    if (FALSE_VALUES$1.indexOf(source) !== -1) return false;
    return NOT_RESOLVED;
  },
  identify: (object) => Object.prototype.toString.call(object) === "[object Boolean]",
  represent: (object) => object ? "true" : "false"
});
var TRUE_VALUES = [
  "true",
  "True",
  "TRUE",
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "on",
  "On",
  "ON"
];
var FALSE_VALUES = [
  "false",
  "False",
  "FALSE",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "off",
  "Off",
  "OFF"
];
var boolYaml11Tag = defineScalarTag("tag:yaml.org,2002:bool", {
  implicit: true,
  implicitFirstChars: [
    "y",
    "Y",
    "n",
    "N",
    "t",
    "T",
    "f",
    "F",
    "o",
    "O"
  ],
  resolve: (source) => {
    if (TRUE_VALUES.indexOf(source) !== -1) return true;
    if (FALSE_VALUES.indexOf(source) !== -1) return false;
    return NOT_RESOLVED;
  },
  identify: (object) => Object.prototype.toString.call(object) === "[object Boolean]",
  represent: (object) => object ? "true" : "false"
});
var YAML_INTEGER_IMPLICIT_PATTERN$1 = /* @__PURE__ */ new RegExp("^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?[0-9]+)$");
var YAML_INTEGER_EXPLICIT_PATTERN$1 = /* @__PURE__ */ new RegExp("^(?:[-+]?0b[0-1]+|[-+]?0o[0-7]+|[-+]?0x[0-9a-fA-F]+|[-+]?[0-9]+)$");
function parseYamlInteger$2(source) {
  let value = source;
  let sign = 1;
  if (value[0] === "-" || value[0] === "+") {
    if (value[0] === "-") sign = -1;
    value = value.slice(1);
  }
  if (value.startsWith("0b")) return sign * parseInt(value.slice(2), 2);
  if (value.startsWith("0o")) return sign * parseInt(value.slice(2), 8);
  if (value.startsWith("0x")) return sign * parseInt(value.slice(2), 16);
  return sign * parseInt(value, 10);
}
function resolveYamlInteger$2(source, isExplicit) {
  if (isExplicit) {
    if (!YAML_INTEGER_EXPLICIT_PATTERN$1.test(source)) return NOT_RESOLVED;
  } else if (!YAML_INTEGER_IMPLICIT_PATTERN$1.test(source)) return NOT_RESOLVED;
  const result = parseYamlInteger$2(source);
  return Number.isFinite(result) ? result : NOT_RESOLVED;
}
var intCoreTag = defineScalarTag("tag:yaml.org,2002:int", {
  implicit: true,
  implicitFirstChars: [
    "-",
    "+",
    ..."0123456789"
  ],
  resolve: resolveYamlInteger$2,
  identify: (object) => Number.isInteger(object) && !Object.is(object, -0) && object.toString(10).indexOf("e") < 0,
  represent: (object) => object.toString(10)
});
var YAML_INTEGER_IMPLICIT_PATTERN = /* @__PURE__ */ new RegExp("^-?(?:0|[1-9][0-9]*)$");
var YAML_INTEGER_EXPLICIT_PATTERN = /* @__PURE__ */ new RegExp("^(?:[-+]?0b[0-1]+|[-+]?0o[0-7]+|[-+]?0x[0-9a-fA-F]+|[-+]?[0-9]+)$");
function parseYamlInteger$1(source) {
  let value = source;
  let sign = 1;
  if (value[0] === "-" || value[0] === "+") {
    if (value[0] === "-") sign = -1;
    value = value.slice(1);
  }
  if (value.startsWith("0b")) return sign * parseInt(value.slice(2), 2);
  if (value.startsWith("0o")) return sign * parseInt(value.slice(2), 8);
  if (value.startsWith("0x")) return sign * parseInt(value.slice(2), 16);
  return sign * parseInt(value, 10);
}
function resolveYamlInteger$1(source, isExplicit) {
  if (isExplicit) {
    if (!YAML_INTEGER_EXPLICIT_PATTERN.test(source)) return NOT_RESOLVED;
  } else if (!YAML_INTEGER_IMPLICIT_PATTERN.test(source)) return NOT_RESOLVED;
  const result = parseYamlInteger$1(source);
  return Number.isFinite(result) ? result : NOT_RESOLVED;
}
var intJsonTag = defineScalarTag("tag:yaml.org,2002:int", {
  implicit: true,
  implicitFirstChars: ["-", ..."0123456789"],
  resolve: resolveYamlInteger$1,
  identify: (object) => Number.isInteger(object) && !Object.is(object, -0) && object.toString(10).indexOf("e") < 0,
  represent: (object) => object.toString(10)
});
var YAML_INTEGER_PATTERN = /* @__PURE__ */ new RegExp("^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+|[-+]?(?:0|[1-9][0-9_]*))$");
function parseYamlInteger(source) {
  let value = source.replace(/_/g, "");
  let sign = 1;
  if (value[0] === "-" || value[0] === "+") {
    if (value[0] === "-") sign = -1;
    value = value.slice(1);
  }
  if (value.startsWith("0b")) return sign * parseInt(value.slice(2), 2);
  if (value.startsWith("0x")) return sign * parseInt(value.slice(2), 16);
  if (value.includes(":")) {
    let result = 0;
    for (const part of value.split(":")) result = result * 60 + Number(part);
    return sign * result;
  }
  if (value !== "0" && value[0] === "0") return sign * parseInt(value, 8);
  return sign * parseInt(value, 10);
}
function resolveYamlInteger(source) {
  if (!YAML_INTEGER_PATTERN.test(source)) return NOT_RESOLVED;
  const result = parseYamlInteger(source);
  return Number.isFinite(result) ? result : NOT_RESOLVED;
}
var intYaml11Tag = defineScalarTag("tag:yaml.org,2002:int", {
  implicit: true,
  implicitFirstChars: [
    "-",
    "+",
    ..."0123456789"
  ],
  resolve: resolveYamlInteger,
  identify: (object) => Number.isInteger(object) && !Object.is(object, -0) && object.toString(10).indexOf("e") < 0,
  represent: (object) => object.toString(10)
});
var YAML_FLOAT_PATTERN$1 = /* @__PURE__ */ new RegExp("^(?:[-+]?[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
var YAML_FLOAT_SPECIAL_PATTERN$1 = /* @__PURE__ */ new RegExp("^(?:[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
function resolveYamlFloat$2(source) {
  if (!YAML_FLOAT_PATTERN$1.test(source)) return NOT_RESOLVED;
  let value = source.toLowerCase();
  const sign = value[0] === "-" ? -1 : 1;
  if ("+-".includes(value[0])) value = value.slice(1);
  if (value === ".inf") return sign === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  if (value === ".nan") return NaN;
  const result = sign * parseFloat(value);
  if (Number.isFinite(result) || YAML_FLOAT_SPECIAL_PATTERN$1.test(source)) return result;
  return NOT_RESOLVED;
}
function representYamlFloat$2(object) {
  if (isNaN(object)) return ".nan";
  if (object === Number.POSITIVE_INFINITY) return ".inf";
  if (object === Number.NEGATIVE_INFINITY) return "-.inf";
  if (Object.is(object, -0)) return "-0.0";
  const result = object.toString(10);
  return /^[-+]?[0-9]+e/.test(result) ? result.replace("e", ".e") : result;
}
var floatCoreTag = defineScalarTag("tag:yaml.org,2002:float", {
  implicit: true,
  implicitFirstChars: [
    "-",
    "+",
    ".",
    ..."0123456789"
  ],
  resolve: resolveYamlFloat$2,
  identify: (object) => typeof object === "number" && (!Number.isInteger(object) || Object.is(object, -0) || object.toString(10).indexOf("e") >= 0),
  represent: representYamlFloat$2
});
var YAML_FLOAT_IMPLICIT_PATTERN = /* @__PURE__ */ new RegExp("^-?(?:0|[1-9][0-9]*)(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$");
var YAML_FLOAT_EXPLICIT_PATTERN = /* @__PURE__ */ new RegExp("^(?:[-+]?[0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
function resolveYamlFloat$1(source, isExplicit) {
  if (isExplicit) {
    if (!YAML_FLOAT_EXPLICIT_PATTERN.test(source)) return NOT_RESOLVED;
    let value = source.toLowerCase();
    const sign = value[0] === "-" ? -1 : 1;
    if ("+-".includes(value[0])) value = value.slice(1);
    if (value === ".inf") return sign === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    if (value === ".nan") return NaN;
    const result2 = sign * parseFloat(value);
    return Number.isFinite(result2) ? result2 : NOT_RESOLVED;
  }
  if (!YAML_FLOAT_IMPLICIT_PATTERN.test(source)) return NOT_RESOLVED;
  const result = Number(source);
  if (Number.isFinite(result)) return result;
  return NOT_RESOLVED;
}
function representYamlFloat$1(object) {
  if (isNaN(object)) return ".nan";
  if (object === Number.POSITIVE_INFINITY) return ".inf";
  if (object === Number.NEGATIVE_INFINITY) return "-.inf";
  if (Object.is(object, -0)) return "-0.0";
  const result = object.toString(10);
  return /^[-+]?[0-9]+e/.test(result) ? result.replace("e", ".e") : result;
}
var floatJsonTag = defineScalarTag("tag:yaml.org,2002:float", {
  implicit: true,
  implicitFirstChars: ["-", ..."0123456789"],
  resolve: resolveYamlFloat$1,
  identify: (object) => typeof object === "number" && (!Number.isInteger(object) || Object.is(object, -0) || object.toString(10).indexOf("e") >= 0),
  represent: representYamlFloat$1
});
var YAML_FLOAT_PATTERN = /* @__PURE__ */ new RegExp("^(?:[-+]?(?:(?:[0-9][0-9_]*)?\\.[0-9_]*)(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
var YAML_FLOAT_SPECIAL_PATTERN = /* @__PURE__ */ new RegExp("^(?:[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
function resolveYamlFloat(source) {
  if (!YAML_FLOAT_PATTERN.test(source)) return NOT_RESOLVED;
  let value = source.toLowerCase().replace(/_/g, "");
  const sign = value[0] === "-" ? -1 : 1;
  if ("+-".includes(value[0])) value = value.slice(1);
  if (value === ".inf") return sign === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  if (value === ".nan") return NaN;
  let result = 0;
  if (value.includes(":")) {
    for (const part of value.split(":")) result = result * 60 + Number(part);
    result *= sign;
  } else result = sign * parseFloat(value);
  if (Number.isFinite(result) || YAML_FLOAT_SPECIAL_PATTERN.test(source)) return result;
  return NOT_RESOLVED;
}
function representYamlFloat(object) {
  if (isNaN(object)) return ".nan";
  if (object === Number.POSITIVE_INFINITY) return ".inf";
  if (object === Number.NEGATIVE_INFINITY) return "-.inf";
  if (Object.is(object, -0)) return "-0.0";
  const result = object.toString(10);
  return /^[-+]?[0-9]+e/.test(result) ? result.replace("e", ".e") : result;
}
var floatYaml11Tag = defineScalarTag("tag:yaml.org,2002:float", {
  implicit: true,
  implicitFirstChars: [
    "-",
    "+",
    ".",
    ..."0123456789"
  ],
  resolve: resolveYamlFloat,
  identify: (object) => typeof object === "number" && (!Number.isInteger(object) || Object.is(object, -0) || object.toString(10).indexOf("e") >= 0),
  represent: representYamlFloat
});
var mergeTag = defineScalarTag("tag:yaml.org,2002:merge", {
  implicit: true,
  implicitFirstChars: ["<"],
  resolve: (source, isExplicit) => {
    if (source === "<<" || isExplicit && source === "") return "<<";
    return NOT_RESOLVED;
  },
  identify: () => false
});
var BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;
function resolveYamlBinary(source) {
  const input = source.replace(/\s/g, "");
  if (input.length % 4 !== 0 || !BASE64_PATTERN.test(input)) return NOT_RESOLVED;
  const binary2 = atob(input);
  const result = new Uint8Array(binary2.length);
  for (let index = 0; index < binary2.length; index++) result[index] = binary2.charCodeAt(index);
  return result;
}
function representYamlBinary(object) {
  let binary2 = "";
  for (let index = 0; index < object.length; index++) binary2 += String.fromCharCode(object[index]);
  return btoa(binary2);
}
var binaryTag = defineScalarTag("tag:yaml.org,2002:binary", {
  resolve: resolveYamlBinary,
  identify: (object) => Object.prototype.toString.call(object) === "[object Uint8Array]",
  represent: representYamlBinary
});
var YAML_DATE_REGEXP = /* @__PURE__ */ new RegExp("^([0-9][0-9][0-9][0-9])-([0-9][0-9])-([0-9][0-9])$");
var YAML_TIMESTAMP_REGEXP = /* @__PURE__ */ new RegExp("^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)(?:[Tt]|[ \\t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\\.([0-9]*))?(?:[ \\t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?$");
function makeUtcDate(year, month, day, hour = 0, minute = 0, second = 0, fraction = 0) {
  const date = new Date(Date.UTC(year, month, day, hour, minute, second, fraction));
  date.setUTCFullYear(year, month, day);
  return date;
}
function resolveYamlTimestamp(source) {
  let match2 = YAML_DATE_REGEXP.exec(source);
  if (match2 === null) match2 = YAML_TIMESTAMP_REGEXP.exec(source);
  if (match2 === null) return NOT_RESOLVED;
  const year = +match2[1];
  const month = +match2[2] - 1;
  const day = +match2[3];
  if (!match2[4]) {
    const date2 = makeUtcDate(year, month, day);
    if (date2.getUTCFullYear() !== year || date2.getUTCMonth() !== month || date2.getUTCDate() !== day) return NOT_RESOLVED;
    return date2;
  }
  const hour = +match2[4];
  const minute = +match2[5];
  const second = +match2[6];
  let fraction = 0;
  if (hour > 23 || minute > 59 || second > 59) return NOT_RESOLVED;
  if (match2[7]) {
    let value = match2[7].slice(0, 3);
    while (value.length < 3) value += "0";
    fraction = +value;
  }
  const date = makeUtcDate(year, month, day, hour, minute, second, fraction);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month || date.getUTCDate() !== day) return NOT_RESOLVED;
  if (match2[9]) {
    const offsetHour = +match2[10];
    const offsetMinute = +(match2[11] || 0);
    if (offsetHour > 23 || offsetMinute > 59) return NOT_RESOLVED;
    const offset = (offsetHour * 60 + offsetMinute) * 6e4;
    date.setTime(date.getTime() - (match2[9] === "-" ? -offset : offset));
  }
  return date;
}
var timestampTag = defineScalarTag("tag:yaml.org,2002:timestamp", {
  implicit: true,
  implicitFirstChars: [..."0123456789"],
  resolve: resolveYamlTimestamp,
  identify: (object) => object instanceof Date,
  represent: (object) => object.toISOString()
});
var seqTag = defineSequenceTag("tag:yaml.org,2002:seq", {
  create: () => [],
  addItem: (container, item) => {
    container.push(item);
  },
  identify: Array.isArray
});
function isPlainObject(data) {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return false;
  const prototype = Object.getPrototypeOf(data);
  return prototype === null || prototype === Object.prototype;
}
function pick(object, keys) {
  const result = {};
  for (const key of keys) if (object[key] !== void 0) result[key] = object[key];
  return result;
}
var omapTag = defineSequenceTag("tag:yaml.org,2002:omap", {
  create: () => ({
    list: [],
    seen: /* @__PURE__ */ new Set()
  }),
  addItem: (carrier, item) => {
    let key;
    if (item instanceof Map) {
      if (item.size !== 1) return "cannot resolve an ordered map item";
      key = item.keys().next().value;
    } else if (isPlainObject(item)) {
      const itemKeys = Object.keys(item);
      if (itemKeys.length !== 1) return "cannot resolve an ordered map item";
      key = itemKeys[0];
    } else return "cannot resolve an ordered map item";
    if (carrier.seen.has(key)) return "duplicate key in ordered map";
    carrier.seen.add(key);
    carrier.list.push(item);
    return "";
  },
  finalize: (carrier) => carrier.list,
  identify: () => false
});
var pairsTag = defineSequenceTag("tag:yaml.org,2002:pairs", {
  create: () => [],
  addItem: (container, item) => {
    if (item instanceof Map) {
      if (item.size !== 1) return "cannot resolve a pairs item";
      container.push(item.entries().next().value);
      return "";
    }
    if (Object.prototype.toString.call(item) !== "[object Object]") return "cannot resolve a pairs item";
    const object = item;
    const keys = Object.keys(object);
    if (keys.length !== 1) return "cannot resolve a pairs item";
    container.push([keys[0], object[keys[0]]]);
    return "";
  },
  identify: () => false
});
var mapTag = defineMappingTag("tag:yaml.org,2002:map", {
  create: () => ({}),
  identify: isPlainObject,
  represent: (o) => {
    const map = /* @__PURE__ */ new Map();
    for (const key of Object.keys(o)) map.set(key, o[key]);
    return map;
  },
  addPair: (container, key, value) => {
    if (key !== null && typeof key === "object") return "object-based map does not support complex keys";
    const normalizedKey = String(key);
    if (normalizedKey === "__proto__") Object.defineProperty(container, normalizedKey, {
      value,
      enumerable: true,
      configurable: true,
      writable: true
    });
    else container[normalizedKey] = value;
    return "";
  },
  has: (container, key) => {
    if (key !== null && typeof key === "object") return false;
    return Object.prototype.hasOwnProperty.call(container, String(key));
  },
  keys: (container) => Object.keys(container),
  get: (container, key) => {
    const normalizedKey = String(key);
    if (!Object.prototype.hasOwnProperty.call(container, normalizedKey)) return null;
    return container[normalizedKey];
  }
});
var setTag = defineMappingTag("tag:yaml.org,2002:set", {
  create: () => /* @__PURE__ */ new Set(),
  identify: (data) => data instanceof Set,
  represent: (data) => {
    const map = /* @__PURE__ */ new Map();
    for (const key of data) map.set(key, null);
    return map;
  },
  addPair: (container, key, value) => {
    if (value !== null) return "cannot resolve a set item";
    container.add(key);
    return "";
  },
  has: (container, key) => container.has(key),
  keys: (container) => container.keys(),
  get: () => null
});
function createTagDefinitionMap() {
  return {
    scalar: /* @__PURE__ */ Object.create(null),
    sequence: /* @__PURE__ */ Object.create(null),
    mapping: /* @__PURE__ */ Object.create(null)
  };
}
function createTagDefinitionListMap() {
  return {
    scalar: [],
    sequence: [],
    mapping: []
  };
}
function compileTags(tags) {
  const result = [];
  for (const tag of tags) {
    let index = result.length;
    for (let previousIndex = 0; previousIndex < result.length; previousIndex++) {
      const previous = result[previousIndex];
      if (previous.nodeKind === tag.nodeKind && previous.tagName === tag.tagName && previous.matchByTagPrefix === tag.matchByTagPrefix) {
        index = previousIndex;
        break;
      }
    }
    result[index] = tag;
  }
  return result;
}
var Schema = class Schema2 {
  tags;
  /** @internal */
  implicitScalarTags;
  /**
  * Dispatch implicit scalar resolvers by `source.charAt(0)`. Each bucket holds
  * the resolvers that may match that key, in schema order; a key absent from
  * the map uses
  * {@link Schema.implicitScalarAnyFirstChar}
  * (resolvers that declared no first-char constraint, so they apply to any
  * first character).
  */
  implicitScalarByFirstChar;
  implicitScalarAnyFirstChar;
  /**
  * The default scalar tag (`!!str`), resolved once so the composer's fallback
  * for unresolved plain scalars avoids a keyed lookup per scalar.
  *
  * @internal
  */
  defaultScalarTag;
  /**
  * The default container tags (`!!seq` / `!!map`), used by the dumper: when a
  * value is identified by its default tag, the tag is implicit and not
  * printed. Undefined if the schema does not define them (then such values
  * can't be dumped).
  *
  * @internal
  */
  defaultSequenceTag;
  /** @internal */
  defaultMappingTag;
  exact;
  prefix;
  constructor(tags) {
    const compiledTags = compileTags(tags);
    const implicitScalarTags = [];
    const exact = createTagDefinitionMap();
    const prefix2 = createTagDefinitionListMap();
    for (const tag of compiledTags) {
      if (tag.nodeKind === "scalar" && tag.implicit) {
        if (tag.matchByTagPrefix) throw new Error("Implicit scalar tags cannot match by tag prefix");
        implicitScalarTags.push(tag);
      }
      switch (tag.nodeKind) {
        case "scalar":
          if (tag.matchByTagPrefix) prefix2.scalar.push(tag);
          else exact.scalar[tag.tagName] = tag;
          break;
        case "sequence":
          if (tag.matchByTagPrefix) prefix2.sequence.push(tag);
          else exact.sequence[tag.tagName] = tag;
          break;
        case "mapping":
          if (tag.matchByTagPrefix) prefix2.mapping.push(tag);
          else exact.mapping[tag.tagName] = tag;
      }
    }
    const implicitScalarAnyFirstChar = implicitScalarTags.filter((tag) => tag.implicitFirstChars === null);
    const keys = /* @__PURE__ */ new Set();
    for (const tag of implicitScalarTags) if (tag.implicitFirstChars !== null) for (const key of tag.implicitFirstChars) keys.add(key);
    const implicitScalarByFirstChar = /* @__PURE__ */ new Map();
    for (const key of keys) implicitScalarByFirstChar.set(key, implicitScalarTags.filter((tag) => tag.implicitFirstChars === null || tag.implicitFirstChars.indexOf(key) !== -1));
    const defaultScalarTag = exact.scalar["tag:yaml.org,2002:str"];
    if (!defaultScalarTag) throw new Error("schema does not define the default scalar tag (tag:yaml.org,2002:str)");
    this.tags = compiledTags;
    this.implicitScalarTags = implicitScalarTags;
    this.implicitScalarByFirstChar = implicitScalarByFirstChar;
    this.implicitScalarAnyFirstChar = implicitScalarAnyFirstChar;
    this.defaultScalarTag = defaultScalarTag;
    this.defaultSequenceTag = exact.sequence["tag:yaml.org,2002:seq"];
    this.defaultMappingTag = exact.mapping["tag:yaml.org,2002:map"];
    this.exact = exact;
    this.prefix = prefix2;
  }
  /** @internal */
  lookupScalarTag(tagName) {
    const exactTag = this.exact.scalar[tagName];
    if (exactTag) return exactTag;
    for (const tag of this.prefix.scalar) if (tagName.startsWith(tag.tagName)) return tag;
  }
  /** @internal */
  lookupSequenceTag(tagName) {
    const exactTag = this.exact.sequence[tagName];
    if (exactTag) return exactTag;
    for (const tag of this.prefix.sequence) if (tagName.startsWith(tag.tagName)) return tag;
  }
  /** @internal */
  lookupMappingTag(tagName) {
    const exactTag = this.exact.mapping[tagName];
    if (exactTag) return exactTag;
    for (const tag of this.prefix.mapping) if (tagName.startsWith(tag.tagName)) return tag;
  }
  /** @internal */
  resolveImplicitScalarTag(source) {
    const candidates = this.implicitScalarByFirstChar.get(source.charAt(0)) ?? this.implicitScalarAnyFirstChar;
    for (const tag2 of candidates) {
      const value = tag2.resolve(source, false, tag2.tagName);
      if (value !== NOT_RESOLVED) return {
        value,
        tag: tag2
      };
    }
    const tag = this.defaultScalarTag;
    return {
      value: tag.resolve(source, false, tag.tagName),
      tag
    };
  }
  /**
  * Creates a new schema with the specified tags added. If a tag already
  * exists, it is replaced by the specified tag.
  *
  * @example
  *
  * ```javascript
  * import { CORE_SCHEMA, mergeTag, realMapTag } from 'js-yaml'
  *
  * const schema = CORE_SCHEMA.withTags(mergeTag, realMapTag)
  * ```
  */
  withTags(...tags) {
    let flatTags = [];
    for (const tag of tags) flatTags = flatTags.concat(tag);
    return new Schema2([...this.tags, ...flatTags]);
  }
};
var FAILSAFE_SCHEMA = new Schema([
  strTag,
  seqTag,
  mapTag
]);
var JSON_SCHEMA = new Schema([
  ...FAILSAFE_SCHEMA.tags,
  nullJsonTag,
  boolJsonTag,
  intJsonTag,
  floatJsonTag
]);
var CORE_SCHEMA = new Schema([
  ...FAILSAFE_SCHEMA.tags,
  nullCoreTag,
  boolCoreTag,
  intCoreTag,
  floatCoreTag
]);
var YAML11_SCHEMA = new Schema([
  ...FAILSAFE_SCHEMA.tags,
  nullYaml11Tag,
  boolYaml11Tag,
  intYaml11Tag,
  floatYaml11Tag,
  timestampTag,
  mergeTag,
  binaryTag,
  omapTag,
  pairsTag,
  setTag
]);
var DUMP_SCHEMA = YAML11_SCHEMA.withTags({
  ...intYaml11Tag,
  resolve: (source, isExplicit, tagName) => {
    const result = intYaml11Tag.resolve(source, isExplicit, tagName);
    return result === NOT_RESOLVED ? intCoreTag.resolve(source, isExplicit, tagName) : result;
  }
}, {
  ...floatYaml11Tag,
  resolve: (source, isExplicit, tagName) => {
    const result = floatYaml11Tag.resolve(source, isExplicit, tagName);
    return result === NOT_RESOLVED ? floatCoreTag.resolve(source, isExplicit, tagName) : result;
  }
});
var realMapTag = defineMappingTag("tag:yaml.org,2002:map", {
  create: () => /* @__PURE__ */ new Map(),
  addPair: (container, key, value) => {
    container.set(key, value);
    return "";
  },
  has: (container, key) => container.has(key),
  keys: (container) => container.keys(),
  get: (container, key) => container.get(key),
  identify: (data) => data instanceof Map || isPlainObject(data),
  represent: (data) => {
    if (data instanceof Map) return data;
    const map = /* @__PURE__ */ new Map();
    const obj = data;
    for (const key of Object.keys(obj)) map.set(key, obj[key]);
    return map;
  }
});
function normalizeKey(key) {
  if (Array.isArray(key)) {
    const array = Array.prototype.slice.call(key);
    for (let index = 0; index < array.length; index++) {
      if (Array.isArray(array[index])) return null;
      if (typeof array[index] === "object" && Object.prototype.toString.call(array[index]) === "[object Object]") array[index] = "[object Object]";
    }
    return String(array);
  }
  if (typeof key === "object" && Object.prototype.toString.call(key) === "[object Object]") return "[object Object]";
  return String(key);
}
var legacyMapTag = defineMappingTag("tag:yaml.org,2002:map", {
  create: () => ({}),
  identify: isPlainObject,
  represent: (o) => {
    const map = /* @__PURE__ */ new Map();
    for (const key of Object.keys(o)) map.set(key, o[key]);
    return map;
  },
  addPair: (container, key, value) => {
    const normalizedKey = normalizeKey(key);
    if (normalizedKey === null) return "nested arrays are not supported inside keys";
    if (normalizedKey === "__proto__") Object.defineProperty(container, normalizedKey, {
      value,
      enumerable: true,
      configurable: true,
      writable: true
    });
    else container[normalizedKey] = value;
    return "";
  },
  has: (container, key) => {
    const normalizedKey = normalizeKey(key);
    return normalizedKey !== null && Object.prototype.hasOwnProperty.call(container, normalizedKey);
  },
  keys: (container) => Object.keys(container),
  get: (container, key) => {
    const normalizedKey = String(key);
    if (!Object.prototype.hasOwnProperty.call(container, normalizedKey)) return null;
    return container[normalizedKey];
  }
});
var DEFAULT_SNIPPET_OPTIONS = {
  maxLength: 79,
  indent: 1,
  linesBefore: 3,
  linesAfter: 2
};
function getLine(buffer, lineStart, lineEnd, position, maxLineLength) {
  let head = "";
  let tail = "";
  const maxHalfLength = Math.floor(maxLineLength / 2) - 1;
  if (position - lineStart > maxHalfLength) {
    head = " ... ";
    lineStart = position - maxHalfLength + head.length;
  }
  if (lineEnd - position > maxHalfLength) {
    tail = " ...";
    lineEnd = position + maxHalfLength - tail.length;
  }
  return {
    str: head + buffer.slice(lineStart, lineEnd).replace(/\t/g, "\u2192") + tail,
    pos: position - lineStart + head.length
  };
}
function padStart(string, max) {
  return " ".repeat(Math.max(max - string.length, 0)) + string;
}
function makeSnippet(mark, options) {
  if (!mark.buffer) return null;
  const opts2 = {
    ...DEFAULT_SNIPPET_OPTIONS,
    ...options
  };
  const re = /\r?\n|\r|\0/g;
  const lineStarts2 = [0];
  const lineEnds = [];
  let match2;
  let foundLineNo = -1;
  while (match2 = re.exec(mark.buffer)) {
    lineEnds.push(match2.index);
    lineStarts2.push(match2.index + match2[0].length);
    if (mark.position <= match2.index && foundLineNo < 0) foundLineNo = lineStarts2.length - 2;
  }
  if (foundLineNo < 0) foundLineNo = lineStarts2.length - 1;
  let result = "";
  const lineNoLength = Math.min(mark.line + opts2.linesAfter, lineEnds.length).toString().length;
  const maxLineLength = opts2.maxLength - (opts2.indent + lineNoLength + 3);
  for (let i2 = 1; i2 <= opts2.linesBefore; i2++) {
    if (foundLineNo - i2 < 0) break;
    const line2 = getLine(mark.buffer, lineStarts2[foundLineNo - i2], lineEnds[foundLineNo - i2], mark.position - (lineStarts2[foundLineNo] - lineStarts2[foundLineNo - i2]), maxLineLength);
    result = `${" ".repeat(opts2.indent)}${padStart((mark.line - i2 + 1).toString(), lineNoLength)} | ${line2.str}
${result}`;
  }
  const line = getLine(mark.buffer, lineStarts2[foundLineNo], lineEnds[foundLineNo], mark.position, maxLineLength);
  result += `${" ".repeat(opts2.indent)}${padStart((mark.line + 1).toString(), lineNoLength)} | ${line.str}
`;
  result += `${"-".repeat(opts2.indent + lineNoLength + 3 + line.pos)}^
`;
  for (let i2 = 1; i2 <= opts2.linesAfter; i2++) {
    if (foundLineNo + i2 >= lineEnds.length) break;
    const line2 = getLine(mark.buffer, lineStarts2[foundLineNo + i2], lineEnds[foundLineNo + i2], mark.position - (lineStarts2[foundLineNo] - lineStarts2[foundLineNo + i2]), maxLineLength);
    result += `${" ".repeat(opts2.indent)}${padStart((mark.line + i2 + 1).toString(), lineNoLength)} | ${line2.str}
`;
  }
  return result.replace(/\n$/, "");
}
function formatError(exception, compact) {
  let where = "";
  if (!exception.mark) return exception.reason;
  if (exception.mark.name) where += `in "${exception.mark.name}" `;
  where += `(${exception.mark.line + 1}:${exception.mark.column + 1})`;
  if (!compact && exception.mark.snippet) where += `

${exception.mark.snippet}`;
  return `${exception.reason} ${where}`;
}
var YAMLException = class YAMLException2 extends Error {
  reason;
  mark;
  /**
  * Optional `mark` contains source snippet data. Usually, use
  * {@link YAMLException.throwAt} instead of passing it directly.
  */
  constructor(reason, mark) {
    super();
    this.name = "YAMLException";
    this.reason = reason;
    this.mark = mark;
    this.message = formatError(this, false);
    if (Error.captureStackTrace) Error.captureStackTrace(this, this.constructor);
  }
  /**
  * Returns the formatted error, omitting the source snippet in compact mode.
  */
  toString(compact) {
    return `${this.name}: ${formatError(this, compact)}`;
  }
  /**
  * Builds a YAMLException with a source snippet and throws it. `source` is
  * the raw input text; `position` is an offset into it.
  */
  static throwAt(source, position, message, filename = "") {
    let line = 0;
    let lineStart = 0;
    for (let index = 0; index < position; index++) {
      const ch = source.charCodeAt(index);
      if (ch === 10) {
        line++;
        lineStart = index + 1;
      } else if (ch === 13) {
        line++;
        if (source.charCodeAt(index + 1) === 10) index++;
        lineStart = index + 1;
      }
    }
    const mark = {
      name: filename,
      buffer: source,
      position,
      line,
      column: position - lineStart
    };
    mark.snippet = makeSnippet(mark);
    throw new YAMLException2(message, mark);
  }
};
var EVENT_ID = {
  DOCUMENT: 1,
  SEQUENCE: 2,
  MAPPING: 3,
  SCALAR: 4,
  ALIAS: 5,
  POP: 6
};
var SCALAR_STYLE = {
  PLAIN: 1,
  SINGLE_QUOTED: 2,
  DOUBLE_QUOTED: 3,
  LITERAL_BLOCK: 4,
  FOLDED_BLOCK: 5
};
var COLLECTION_STYLE = {
  BLOCK: 1,
  FLOW: 2
};
var CHOMPING_MODE = {
  CLIP: 1,
  STRIP: 2,
  KEEP: 3
};
var NO_RANGE$3 = -1;
function simpleEscapeSequence(c) {
  switch (c) {
    case 48:
      return "\0";
    case 97:
      return "\x07";
    case 98:
      return "\b";
    case 116:
      return "	";
    case 9:
      return "	";
    case 110:
      return "\n";
    case 118:
      return "\v";
    case 102:
      return "\f";
    case 114:
      return "\r";
    case 101:
      return "\x1B";
    case 32:
      return " ";
    case 34:
      return '"';
    case 47:
      return "/";
    case 92:
      return "\\";
    case 78:
      return "\x85";
    case 95:
      return "\xA0";
    case 76:
      return "\u2028";
    case 80:
      return "\u2029";
    default:
      return "";
  }
}
var simpleEscapeCheck = new Array(256);
var simpleEscapeMap = new Array(256);
for (let i2 = 0; i2 < 256; i2++) {
  simpleEscapeCheck[i2] = simpleEscapeSequence(i2) ? 1 : 0;
  simpleEscapeMap[i2] = simpleEscapeSequence(i2);
}
function charFromCodepoint(c) {
  if (c <= 65535) return String.fromCharCode(c);
  return String.fromCharCode((c - 65536 >> 10) + 55296, (c - 65536 & 1023) + 56320);
}
function fromHexCode$1(c) {
  if (c >= 48 && c <= 57) return c - 48;
  return (c | 32) - 97 + 10;
}
function escapedHexLen$1(c) {
  if (c === 120) return 2;
  if (c === 117) return 4;
  return 8;
}
function skipFoldedBreaks(input, position, end) {
  let breaks = 0;
  while (position < end) {
    const ch = input.charCodeAt(position);
    if (ch === 10) {
      breaks++;
      position++;
    } else if (ch === 13) {
      breaks++;
      position++;
      if (input.charCodeAt(position) === 10) position++;
    } else if (ch === 32 || ch === 9) position++;
    else break;
  }
  return {
    position,
    breaks
  };
}
function foldedBreaks(count) {
  if (count === 1) return " ";
  return "\n".repeat(count - 1);
}
function getPlainValue(input, start2, end) {
  let result = "";
  let position = start2;
  let captureStart = start2;
  let captureEnd = start2;
  while (position < end) {
    const ch = input.charCodeAt(position);
    if (ch === 10 || ch === 13) {
      result += input.slice(captureStart, captureEnd);
      const fold = skipFoldedBreaks(input, position, end);
      result += foldedBreaks(fold.breaks);
      position = captureStart = captureEnd = fold.position;
    } else {
      position++;
      if (ch !== 32 && ch !== 9) captureEnd = position;
    }
  }
  return result + input.slice(captureStart, captureEnd);
}
function getSingleQuotedValue(input, start2, end) {
  let result = "";
  let position = start2;
  let captureStart = start2;
  let captureEnd = start2;
  while (position < end) {
    const ch = input.charCodeAt(position);
    if (ch === 39) {
      result += input.slice(captureStart, position) + "'";
      position += 2;
      captureStart = captureEnd = position;
    } else if (ch === 10 || ch === 13) {
      result += input.slice(captureStart, captureEnd);
      const fold = skipFoldedBreaks(input, position, end);
      result += foldedBreaks(fold.breaks);
      position = captureStart = captureEnd = fold.position;
    } else {
      position++;
      if (ch !== 32 && ch !== 9) captureEnd = position;
    }
  }
  return result + input.slice(captureStart, end);
}
function getDoubleQuotedValue(input, start2, end) {
  let result = "";
  let position = start2;
  let captureStart = start2;
  let captureEnd = start2;
  while (position < end) {
    const ch = input.charCodeAt(position);
    if (ch === 92) {
      result += input.slice(captureStart, position);
      position++;
      const escaped = input.charCodeAt(position);
      if (escaped === 10 || escaped === 13) position = skipFoldedBreaks(input, position, end).position;
      else if (escaped < 256 && simpleEscapeCheck[escaped]) {
        result += simpleEscapeMap[escaped];
        position++;
      } else {
        let hexLength = escapedHexLen$1(escaped);
        let hexResult = 0;
        for (; hexLength > 0; hexLength--) {
          position++;
          const digit2 = fromHexCode$1(input.charCodeAt(position));
          hexResult = (hexResult << 4) + digit2;
        }
        result += charFromCodepoint(hexResult);
        position++;
      }
      captureStart = captureEnd = position;
    } else if (ch === 10 || ch === 13) {
      result += input.slice(captureStart, captureEnd);
      const fold = skipFoldedBreaks(input, position, end);
      result += foldedBreaks(fold.breaks);
      position = captureStart = captureEnd = fold.position;
    } else {
      position++;
      if (ch !== 32 && ch !== 9) captureEnd = position;
    }
  }
  return result + input.slice(captureStart, end);
}
function getBlockValue(input, start2, end, indent, chomping, folded) {
  const textIndent = indent < 0 ? 0 : indent;
  const region2 = input.slice(start2, end).replace(/\r\n?/g, "\n");
  const lines = region2 === "" ? [] : (region2.endsWith("\n") ? region2.slice(0, -1) : region2).split("\n");
  let result = "";
  let didReadContent = false;
  let emptyLines = 0;
  let atMoreIndented = false;
  for (const line of lines) {
    let column = 0;
    while (column < textIndent && line.charCodeAt(column) === 32) column++;
    if (indent < 0 || column >= line.length) {
      emptyLines++;
      continue;
    }
    const content = line.slice(textIndent);
    const first = content.charCodeAt(0);
    if (folded) {
      if (first === 32 || first === 9) {
        atMoreIndented = true;
        result += "\n".repeat(didReadContent ? 1 + emptyLines : emptyLines);
      } else if (atMoreIndented) {
        atMoreIndented = false;
        result += "\n".repeat(emptyLines + 1);
      } else if (emptyLines === 0) {
        if (didReadContent) result += " ";
      } else result += "\n".repeat(emptyLines);
    } else result += "\n".repeat(didReadContent ? 1 + emptyLines : emptyLines);
    result += content;
    didReadContent = true;
    emptyLines = 0;
  }
  if (chomping === CHOMPING_MODE.KEEP) result += "\n".repeat(didReadContent ? 1 + emptyLines : emptyLines);
  else if (chomping !== CHOMPING_MODE.STRIP) {
    if (didReadContent) result += "\n";
  }
  return result;
}
function getScalarValue(input, scalar) {
  if (scalar.valueStart === NO_RANGE$3) return "";
  const { valueStart, valueEnd } = scalar;
  if (scalar.fast) return input.slice(valueStart, valueEnd);
  switch (scalar.style) {
    case SCALAR_STYLE.SINGLE_QUOTED:
      return getSingleQuotedValue(input, valueStart, valueEnd);
    case SCALAR_STYLE.DOUBLE_QUOTED:
      return getDoubleQuotedValue(input, valueStart, valueEnd);
    case SCALAR_STYLE.LITERAL_BLOCK:
      return getBlockValue(input, valueStart, valueEnd, scalar.indent, scalar.chomping, false);
    case SCALAR_STYLE.FOLDED_BLOCK:
      return getBlockValue(input, valueStart, valueEnd, scalar.indent, scalar.chomping, true);
    default:
      return getPlainValue(input, valueStart, valueEnd);
  }
}
var DEFAULT_TAG_HANDLERS = Object.assign(/* @__PURE__ */ Object.create(null), {
  "!": "!",
  "!!": "tag:yaml.org,2002:"
});
var TAG_SUFFIX_CHARS = "-#;/?:@&=+$_.~*'()";
var TAG_URI_CHARS = TAG_SUFFIX_CHARS + "!,[]";
function tagPercentDecode(source) {
  let result = "";
  let index = 0;
  while (index < source.length) {
    if (source.charCodeAt(index) !== 37) {
      result += source[index++];
      continue;
    }
    let ch = parseInt(source.slice(index + 1, index + 3), 16);
    index += 3;
    if (ch >= 192) {
      let remaining = ch < 224 ? 1 : ch < 240 ? 2 : 3;
      ch &= (1 << 6 - remaining) - 1;
      while (remaining-- > 0) {
        ch = ch << 6 | parseInt(source.slice(index + 1, index + 3), 16) & 63;
        index += 3;
      }
    }
    if (ch < 65536) result += String.fromCharCode(ch);
    else {
      ch -= 65536;
      result += String.fromCharCode(55296 | ch >> 10, 56320 | ch & 1023);
    }
  }
  return result;
}
function tagNameFull(rawTag, tagHandlers) {
  if (rawTag.startsWith("!<") && rawTag.endsWith(">")) return tagPercentDecode(rawTag.slice(2, -1));
  const handleEnd = rawTag.indexOf("!", 1);
  const handle2 = handleEnd === -1 ? "!" : rawTag.slice(0, handleEnd + 1);
  return tagPercentDecode(tagHandlers?.[handle2] ?? DEFAULT_TAG_HANDLERS[handle2] ?? handle2) + tagPercentDecode(rawTag.slice(handle2.length));
}
var NO_RANGE$2 = -1;
var MERGE_TAG_NAME = "tag:yaml.org,2002:merge";
var DEFAULT_CONSTRUCTOR_OPTIONS = {
  filename: "",
  schema: CORE_SCHEMA,
  json: false,
  maxTotalMergeKeys: 1e4,
  maxAliases: -1
};
function eventPosition$1(event) {
  if ("tagStart" in event && event.tagStart !== NO_RANGE$2) return event.tagStart;
  if ("anchorStart" in event && event.anchorStart !== NO_RANGE$2) return event.anchorStart;
  if ("valueStart" in event && event.valueStart !== NO_RANGE$2) return event.valueStart;
  if ("start" in event) return event.start;
  return 0;
}
function throwError$1(state, message) {
  YAMLException.throwAt(state.source, state.position, message, state.filename);
}
function finalizeCollection(state, position, tag, carrier) {
  try {
    return tag.finalize(carrier);
  } catch (error) {
    if (error instanceof YAMLException) throw error;
    YAMLException.throwAt(state.source, position, error instanceof Error ? error.message : String(error), state.filename);
  }
}
function constructScalar(state, event) {
  const source = getScalarValue(state.source, event);
  const rawTag = event.tagStart === NO_RANGE$2 ? "" : state.source.slice(event.tagStart, event.tagEnd);
  const strTag2 = state.schema.defaultScalarTag;
  if (rawTag !== "") {
    if (rawTag === "!") return {
      value: source,
      tag: strTag2
    };
    const tagName = tagNameFull(rawTag, state.tagHandlers);
    const scalarTag = state.schema.lookupScalarTag(tagName);
    if (scalarTag) {
      const result = scalarTag.resolve(source, true, tagName);
      if (result === NOT_RESOLVED) throwError$1(state, `cannot resolve a node with !<${tagName}> explicit tag`);
      return {
        value: result,
        tag: scalarTag
      };
    }
    const collectionTagDef = state.schema.lookupMappingTag(tagName) ?? state.schema.lookupSequenceTag(tagName);
    if (collectionTagDef) {
      if (source !== "") throwError$1(state, `cannot resolve a node with !<${tagName}> explicit tag`);
      const carrier = collectionTagDef.create(tagName);
      return {
        value: collectionTagDef.carrierIsResult ? carrier : finalizeCollection(state, state.position, collectionTagDef, carrier),
        tag: collectionTagDef
      };
    }
    throwError$1(state, `unknown scalar tag !<${tagName}>`);
  }
  if (event.style === SCALAR_STYLE.PLAIN) return state.schema.resolveImplicitScalarTag(source);
  return {
    value: strTag2.resolve(source, false, strTag2.tagName),
    tag: strTag2
  };
}
function collectionTagName(state, event, defaultTagName) {
  const rawTag = event.tagStart === NO_RANGE$2 ? "" : state.source.slice(event.tagStart, event.tagEnd);
  return rawTag === "" || rawTag === "!" ? defaultTagName : tagNameFull(rawTag, state.tagHandlers);
}
function isMappingTag(tag) {
  return tag.nodeKind === "mapping";
}
function chargeMergeWork(state) {
  state.totalMergeKeys++;
  if (state.maxTotalMergeKeys !== -1 && state.totalMergeKeys > state.maxTotalMergeKeys) throwError$1(state, `merge keys exceeded maxTotalMergeKeys (${state.maxTotalMergeKeys})`);
}
function mergeKeys(state, frame, source, sourceTag) {
  chargeMergeWork(state);
  for (const sourceKey of sourceTag.keys(source)) {
    chargeMergeWork(state);
    if (frame.tag.has(frame.value, sourceKey)) continue;
    const err2 = frame.tag.addPair(frame.value, sourceKey, sourceTag.get(source, sourceKey));
    if (err2) throwError$1(state, err2);
    frame.overridable ??= /* @__PURE__ */ new Set();
    frame.overridable.add(sourceKey);
  }
}
function mergeSource(state, frame, source, sourceTag) {
  state.position = frame.keyPosition;
  if (isMappingTag(sourceTag)) mergeKeys(state, frame, source, sourceTag);
  else if (sourceTag.nodeKind === "sequence" && Array.isArray(source)) {
    if (source.length > 100) throwError$1(state, "abnormal merge sequence size");
    for (const element of source) {
      const elementTag = state.nodeTags.get(element);
      if (!elementTag) throwError$1(state, "cannot merge mappings; the provided source object is unacceptable");
      mergeKeys(state, frame, element, elementTag);
    }
  } else throwError$1(state, "cannot merge mappings; the provided source object is unacceptable");
}
function addMappingValue(state, frame, key, value, tag) {
  state.position = frame.keyPosition;
  if (frame.keyIsMerge) {
    mergeSource(state, frame, value, tag);
    return;
  }
  if (!state.json && frame.tag.has(frame.value, key) && !frame.overridable?.has(key)) throwError$1(state, "duplicated mapping key");
  const err2 = frame.tag.addPair(frame.value, key, value);
  if (err2) throwError$1(state, err2);
  frame.overridable?.delete(key);
}
function addValue(state, value, tag) {
  const frame = state.frames[state.frames.length - 1];
  if (frame.kind === "document") {
    frame.value = value;
    frame.hasValue = true;
  } else if (frame.kind === "sequence") {
    if (isMappingTag(tag)) state.nodeTags.set(value, tag);
    const err2 = frame.tag.addItem(frame.value, value, frame.index++);
    if (err2) throwError$1(state, err2);
  } else if (frame.hasKey) {
    const key = frame.key;
    frame.key = void 0;
    frame.hasKey = false;
    addMappingValue(state, frame, key, value, tag);
  } else {
    frame.key = value;
    frame.keyPosition = state.position;
    frame.hasKey = true;
    frame.keyIsMerge = tag.tagName === MERGE_TAG_NAME;
  }
}
function storeAnchor(state, event, value, tag, isValueFinal) {
  if (event.anchorStart !== NO_RANGE$2) {
    const anchor = {
      value,
      tag,
      isValueFinal
    };
    state.anchors.set(state.source.slice(event.anchorStart, event.anchorEnd), anchor);
    return anchor;
  }
  return null;
}
function constructFromEvents(events2, options) {
  const state = {
    ...DEFAULT_CONSTRUCTOR_OPTIONS,
    ...options,
    events: events2,
    documents: [],
    eventIndex: 0,
    position: 0,
    frames: [],
    anchors: /* @__PURE__ */ new Map(),
    nodeTags: /* @__PURE__ */ new Map(),
    tagHandlers: /* @__PURE__ */ Object.create(null),
    totalMergeKeys: 0,
    aliasCount: 0
  };
  while (state.eventIndex < state.events.length) {
    const event = state.events[state.eventIndex++];
    state.position = eventPosition$1(event);
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        state.anchors = /* @__PURE__ */ new Map();
        state.nodeTags = /* @__PURE__ */ new Map();
        state.aliasCount = 0;
        state.tagHandlers = /* @__PURE__ */ Object.create(null);
        for (const directive of event.directives) if (directive.kind === "tag") state.tagHandlers[directive.handle] = directive.prefix;
        state.frames.push({
          kind: "document",
          position: state.position,
          value: void 0,
          hasValue: false
        });
        break;
      case EVENT_ID.SCALAR: {
        const { value, tag } = constructScalar(state, event);
        storeAnchor(state, event, value, tag, true);
        addValue(state, value, tag);
        break;
      }
      case EVENT_ID.SEQUENCE: {
        const tagName = collectionTagName(state, event, "tag:yaml.org,2002:seq");
        const tag = state.schema.lookupSequenceTag(tagName);
        if (!tag) throwError$1(state, `unknown sequence tag !<${tagName}>`);
        const value = tag.create(tagName);
        const anchor = storeAnchor(state, event, value, tag, tag.carrierIsResult);
        state.frames.push({
          kind: "sequence",
          position: state.position,
          value,
          tag,
          anchor,
          index: 0
        });
        break;
      }
      case EVENT_ID.MAPPING: {
        const tagName = collectionTagName(state, event, "tag:yaml.org,2002:map");
        const tag = state.schema.lookupMappingTag(tagName);
        if (!tag) throwError$1(state, `unknown mapping tag !<${tagName}>`);
        const value = tag.create(tagName);
        const anchor = storeAnchor(state, event, value, tag, tag.carrierIsResult);
        state.frames.push({
          kind: "mapping",
          position: state.position,
          value,
          tag,
          anchor,
          key: void 0,
          keyPosition: state.position,
          hasKey: false,
          keyIsMerge: false,
          overridable: null
        });
        break;
      }
      case EVENT_ID.ALIAS: {
        if (state.maxAliases !== -1 && ++state.aliasCount > state.maxAliases) throwError$1(state, `aliases exceeded maxAliases (${state.maxAliases})`);
        const name2 = state.source.slice(event.anchorStart, event.anchorEnd);
        const anchor = state.anchors.get(name2);
        if (!anchor) throwError$1(state, `unidentified alias "${name2}"`);
        if (!anchor.isValueFinal) throwError$1(state, `recursive alias "${name2}" is not supported for tag ${anchor.tag.tagName} because it uses finalize()`);
        addValue(state, anchor.value, anchor.tag);
        break;
      }
      case EVENT_ID.POP: {
        const frame = state.frames.pop();
        if (frame.kind === "mapping" && frame.hasKey) {
          state.position = frame.keyPosition;
          throwError$1(state, "incomplete mapping pair in event stream");
        }
        if (frame.kind === "document") state.documents.push(frame.value);
        else {
          const value = frame.tag.carrierIsResult ? frame.value : finalizeCollection(state, frame.position, frame.tag, frame.value);
          if (frame.anchor) {
            frame.anchor.value = value;
            frame.anchor.isValueFinal = true;
          }
          addValue(state, value, frame.tag);
        }
        break;
      }
    }
  }
  return state.documents;
}
var NO_RANGE$1 = -1;
var HAS_OWN = Object.prototype.hasOwnProperty;
var CONTEXT_FLOW_IN = 1;
var CONTEXT_FLOW_OUT = 2;
var CONTEXT_BLOCK_IN = 3;
var CONTEXT_BLOCK_OUT = 4;
var PATTERN_NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
var PATTERN_FLOW_INDICATORS = /[,\[\]{}]/;
var PATTERN_TAG_HANDLE = /^(?:!|!!|![0-9A-Za-z-]+!)$/;
var NS_URI_CHAR = String.raw`(?:%[0-9A-Fa-f]{2}|[0-9A-Za-z\-#;/?:@&=+$,_.!~*'()\[\]])`;
var NS_TAG_CHAR = String.raw`(?:%[0-9A-Fa-f]{2}|[0-9A-Za-z\-#;/?:@&=+$.~*'()_])`;
var PATTERN_TAG_URI = new RegExp(`^(?:${NS_URI_CHAR})*$`);
var PATTERN_TAG_SUFFIX = new RegExp(`^(?:${NS_TAG_CHAR})+$`);
var PATTERN_TAG_PREFIX = new RegExp(`^(?:!(?:${NS_URI_CHAR})*|${NS_TAG_CHAR}(?:${NS_URI_CHAR})*)$`);
var DEFAULT_PARSER_OPTIONS = {
  filename: "",
  maxDepth: 100
};
function addDocumentEvent(state, explicitStart, explicitEnd) {
  state.events.push({
    type: EVENT_ID.DOCUMENT,
    explicitStart,
    explicitEnd,
    directives: state.directives
  });
}
function addSequenceEvent(state, start2, anchorStart, anchorEnd, tagStart, tagEnd, style) {
  state.events.push({
    type: EVENT_ID.SEQUENCE,
    start: start2,
    anchorStart,
    anchorEnd,
    tagStart,
    tagEnd,
    style
  });
}
function addMappingEvent(state, start2, anchorStart, anchorEnd, tagStart, tagEnd, style) {
  state.events.push({
    type: EVENT_ID.MAPPING,
    start: start2,
    anchorStart,
    anchorEnd,
    tagStart,
    tagEnd,
    style
  });
}
function insertFlowPairMappingEvent(state, snapshot) {
  state.events.splice(snapshot.eventsLength, 0, {
    type: EVENT_ID.MAPPING,
    start: snapshot.position,
    anchorStart: NO_RANGE$1,
    anchorEnd: NO_RANGE$1,
    tagStart: NO_RANGE$1,
    tagEnd: NO_RANGE$1,
    style: COLLECTION_STYLE.FLOW
  });
}
function addScalarEvent(state, valueStart, valueEnd, anchorStart, anchorEnd, tagStart, tagEnd, style, chomping = CHOMPING_MODE.CLIP, indent = -1, fast = false) {
  state.events.push({
    type: EVENT_ID.SCALAR,
    valueStart,
    valueEnd,
    anchorStart,
    anchorEnd,
    tagStart,
    tagEnd,
    style,
    chomping,
    indent,
    fast
  });
}
function addAliasEvent(state, anchorStart, anchorEnd) {
  state.events.push({
    type: EVENT_ID.ALIAS,
    anchorStart,
    anchorEnd
  });
}
function addPopEvent(state) {
  state.events.push({ type: EVENT_ID.POP });
}
function addEmptyScalarEvent(state) {
  addScalarEvent(state, NO_RANGE$1, NO_RANGE$1, NO_RANGE$1, NO_RANGE$1, NO_RANGE$1, NO_RANGE$1, SCALAR_STYLE.PLAIN);
}
function emptyProperties() {
  return {
    anchorStart: NO_RANGE$1,
    anchorEnd: NO_RANGE$1,
    tagStart: NO_RANGE$1,
    tagEnd: NO_RANGE$1
  };
}
function snapshotState(state) {
  return {
    position: state.position,
    line: state.line,
    lineStart: state.lineStart,
    lineIndent: state.lineIndent,
    firstTabInLine: state.firstTabInLine,
    eventsLength: state.events.length
  };
}
function restoreState(state, snapshot) {
  state.position = snapshot.position;
  state.line = snapshot.line;
  state.lineStart = snapshot.lineStart;
  state.lineIndent = snapshot.lineIndent;
  state.firstTabInLine = snapshot.firstTabInLine;
  state.events.length = snapshot.eventsLength;
}
function throwError(state, message) {
  YAMLException.throwAt(state.input.slice(0, state.length), state.position, message, state.filename);
}
function isEol(c) {
  return c === 10 || c === 13;
}
function isWhiteSpace(c) {
  return c === 9 || c === 32;
}
function isWsOrEol(c) {
  return isWhiteSpace(c) || isEol(c);
}
function isWsOrEolOrEnd(c) {
  return c === 0 || isWsOrEol(c);
}
function isFlowIndicator(c) {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}
function fromDecimalCode(c) {
  return c >= 48 && c <= 57 ? c - 48 : -1;
}
function fromHexCode(c) {
  if (c >= 48 && c <= 57) return c - 48;
  const lc = c | 32;
  if (lc >= 97 && lc <= 102) return lc - 97 + 10;
  return -1;
}
function escapedHexLen(c) {
  if (c === 120) return 2;
  if (c === 117) return 4;
  if (c === 85) return 8;
  return 0;
}
function isSimpleEscape(c) {
  return c === 48 || c === 97 || c === 98 || c === 116 || c === 9 || c === 110 || c === 118 || c === 102 || c === 114 || c === 101 || c === 32 || c === 34 || c === 47 || c === 92 || c === 78 || c === 95 || c === 76 || c === 80;
}
function consumeLineBreak(state) {
  if (state.input.charCodeAt(state.position) === 10) state.position++;
  else {
    state.position++;
    if (state.input.charCodeAt(state.position) === 10) state.position++;
  }
  state.line++;
  state.lineStart = state.position;
  state.lineIndent = 0;
  state.firstTabInLine = -1;
}
function skipSeparationSpace(state, allowComments) {
  let lineBreaks = 0;
  let ch = state.input.charCodeAt(state.position);
  let hasSeparation = state.position === state.lineStart || isWsOrEol(state.input.charCodeAt(state.position - 1));
  while (ch !== 0) {
    while (isWhiteSpace(ch)) {
      hasSeparation = true;
      if (ch === 9 && state.firstTabInLine === -1) state.firstTabInLine = state.position;
      ch = state.input.charCodeAt(++state.position);
    }
    if (allowComments && hasSeparation && ch === 35) do
      ch = state.input.charCodeAt(++state.position);
    while (!isEol(ch) && ch !== 0);
    if (!isEol(ch)) break;
    consumeLineBreak(state);
    lineBreaks++;
    hasSeparation = true;
    ch = state.input.charCodeAt(state.position);
    while (ch === 32) {
      state.lineIndent++;
      ch = state.input.charCodeAt(++state.position);
    }
  }
  return lineBreaks;
}
function testDocumentSeparator(state, position = state.position) {
  const ch = state.input.charCodeAt(position);
  if ((ch === 45 || ch === 46) && ch === state.input.charCodeAt(position + 1) && ch === state.input.charCodeAt(position + 2)) {
    const following = state.input.charCodeAt(position + 3);
    return following === 0 || isWsOrEol(following);
  }
  return false;
}
function skipByteOrderMark(state) {
  if (state.position === state.lineStart && state.input.charCodeAt(state.position) === 65279) {
    state.position++;
    state.lineStart = state.position;
  }
}
function testDocumentBoundary(state) {
  if (state.position !== state.lineStart) return false;
  if (testDocumentSeparator(state)) return true;
  if (state.input.charCodeAt(state.position) !== 65279) return false;
  const snapshot = snapshotState(state);
  skipByteOrderMark(state);
  skipSeparationSpace(state, true);
  const ch = state.input.charCodeAt(state.position);
  const result = state.position === state.lineStart && (ch === 37 || ch === 45 && testDocumentSeparator(state));
  restoreState(state, snapshot);
  return result;
}
function skipUntilLineEnd(state) {
  let ch = state.input.charCodeAt(state.position);
  while (ch !== 0 && !isEol(ch)) ch = state.input.charCodeAt(++state.position);
}
function checkPrintable(state, start2, end) {
  const match2 = PATTERN_NON_PRINTABLE.exec(state.input.slice(start2, end));
  if (match2 !== null) {
    state.position = start2 + match2.index + match2[0].length - 1;
    throwError(state, "the stream contains non-printable characters");
  }
}
function readTagProperty(state, props, inFlow) {
  if (state.input.charCodeAt(state.position) !== 33) return false;
  if (props.tagStart !== NO_RANGE$1) throwError(state, "duplication of a tag property");
  const start2 = state.position;
  let isVerbatim = false;
  let isNamed = false;
  let tagHandle = "!";
  let ch = state.input.charCodeAt(++state.position);
  if (ch === 60) {
    isVerbatim = true;
    ch = state.input.charCodeAt(++state.position);
  } else if (ch === 33) {
    isNamed = true;
    tagHandle = "!!";
    ch = state.input.charCodeAt(++state.position);
  }
  let suffixStart = state.position;
  let tagName;
  if (isVerbatim) {
    while (ch !== 0 && ch !== 62) ch = state.input.charCodeAt(++state.position);
    if (ch !== 62) throwError(state, "unexpected end of the stream within a verbatim tag");
    tagName = state.input.slice(suffixStart, state.position);
    state.position++;
  } else {
    while (ch !== 0 && !isWsOrEol(ch) && !(inFlow && isFlowIndicator(ch))) {
      if (ch === 33) {
        if (!isNamed) {
          tagHandle = state.input.slice(suffixStart - 1, state.position + 1);
          if (!PATTERN_TAG_HANDLE.test(tagHandle)) throwError(state, "named tag handle cannot contain such characters");
          isNamed = true;
          suffixStart = state.position + 1;
        } else throwError(state, "tag suffix cannot contain exclamation marks");
      }
      ch = state.input.charCodeAt(++state.position);
    }
    tagName = state.input.slice(suffixStart, state.position);
    if (PATTERN_FLOW_INDICATORS.test(tagName)) throwError(state, "tag suffix cannot contain flow indicator characters");
  }
  if (tagName && !(isVerbatim ? PATTERN_TAG_URI.test(tagName) : PATTERN_TAG_SUFFIX.test(tagName))) throwError(state, `tag name cannot contain such characters: ${tagName}`);
  if (!isVerbatim && tagHandle !== "!" && tagHandle !== "!!" && !HAS_OWN.call(state.tagHandlers, tagHandle)) throwError(state, `undeclared tag handle "${tagHandle}"`);
  props.tagStart = start2;
  props.tagEnd = state.position;
  return true;
}
function readAnchorProperty(state, props) {
  if (state.input.charCodeAt(state.position) !== 38) return false;
  if (props.anchorStart !== NO_RANGE$1) throwError(state, "duplication of an anchor property");
  state.position++;
  const start2 = state.position;
  while (state.input.charCodeAt(state.position) !== 0 && !isWsOrEol(state.input.charCodeAt(state.position)) && !isFlowIndicator(state.input.charCodeAt(state.position))) state.position++;
  if (state.position === start2) throwError(state, "name of an anchor node must contain at least one character");
  props.anchorStart = start2;
  props.anchorEnd = state.position;
  return true;
}
function readAlias(state, props) {
  if (state.input.charCodeAt(state.position) !== 42) return false;
  if (props.anchorStart !== NO_RANGE$1 || props.tagStart !== NO_RANGE$1) throwError(state, "alias node should not have any properties");
  state.position++;
  const start2 = state.position;
  while (state.input.charCodeAt(state.position) !== 0 && !isWsOrEol(state.input.charCodeAt(state.position)) && !isFlowIndicator(state.input.charCodeAt(state.position))) state.position++;
  if (state.position === start2) throwError(state, "name of an alias node must contain at least one character");
  addAliasEvent(state, start2, state.position);
  return true;
}
function readFlowScalarBreak(state, nodeIndent) {
  skipSeparationSpace(state, false);
  if (state.lineIndent < nodeIndent) throwError(state, "deficient indentation");
}
function readSingleQuotedScalar(state, nodeIndent, props) {
  if (state.input.charCodeAt(state.position) !== 39) return false;
  state.position++;
  const start2 = state.position;
  let simple = true;
  while (state.input.charCodeAt(state.position) !== 0) {
    const ch = state.input.charCodeAt(state.position);
    if (ch === 39) {
      if (state.input.charCodeAt(state.position + 1) === 39) {
        simple = false;
        state.position += 2;
        continue;
      }
      const end = state.position;
      state.position++;
      addScalarEvent(state, start2, end, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, SCALAR_STYLE.SINGLE_QUOTED, CHOMPING_MODE.CLIP, -1, simple);
      return true;
    }
    if (isEol(ch)) {
      simple = false;
      readFlowScalarBreak(state, nodeIndent);
    } else if (state.position === state.lineStart && testDocumentSeparator(state)) throwError(state, "unexpected end of the document within a single quoted scalar");
    else if (ch !== 9 && ch < 32) throwError(state, "expected valid JSON character");
    else state.position++;
  }
  throwError(state, "unexpected end of the stream within a single quoted scalar");
}
function readDoubleQuotedScalar(state, nodeIndent, props) {
  if (state.input.charCodeAt(state.position) !== 34) return false;
  state.position++;
  const start2 = state.position;
  let simple = true;
  while (state.input.charCodeAt(state.position) !== 0) {
    const ch = state.input.charCodeAt(state.position);
    if (ch === 34) {
      const end = state.position;
      state.position++;
      addScalarEvent(state, start2, end, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, SCALAR_STYLE.DOUBLE_QUOTED, CHOMPING_MODE.CLIP, -1, simple);
      return true;
    }
    if (ch === 92) {
      simple = false;
      const escaped = state.input.charCodeAt(++state.position);
      if (isEol(escaped)) readFlowScalarBreak(state, nodeIndent);
      else if (isSimpleEscape(escaped)) state.position++;
      else {
        let hexLength = escapedHexLen(escaped);
        if (hexLength === 0) throwError(state, "unknown escape sequence");
        while (hexLength-- > 0) {
          state.position++;
          if (fromHexCode(state.input.charCodeAt(state.position)) < 0) throwError(state, "expected hexadecimal character");
        }
        state.position++;
      }
    } else if (isEol(ch)) {
      simple = false;
      readFlowScalarBreak(state, nodeIndent);
    } else if (state.position === state.lineStart && testDocumentSeparator(state)) throwError(state, "unexpected end of the document within a double quoted scalar");
    else if (ch !== 9 && ch < 32) throwError(state, "expected valid JSON character");
    else state.position++;
  }
  throwError(state, "unexpected end of the stream within a double quoted scalar");
}
function readBlockScalar(state, parentIndent, props) {
  const ch = state.input.charCodeAt(state.position);
  let chomping = CHOMPING_MODE.CLIP;
  let indent = -1;
  let detectedIndent = false;
  if (ch !== 124 && ch !== 62) return false;
  const style = ch === 124 ? SCALAR_STYLE.LITERAL_BLOCK : SCALAR_STYLE.FOLDED_BLOCK;
  state.position++;
  while (state.input.charCodeAt(state.position) !== 0) {
    const current = state.input.charCodeAt(state.position);
    const digit2 = fromDecimalCode(current);
    if (current === 43 || current === 45) {
      if (chomping !== CHOMPING_MODE.CLIP) throwError(state, "repeat of a chomping mode identifier");
      chomping = current === 43 ? CHOMPING_MODE.KEEP : CHOMPING_MODE.STRIP;
      state.position++;
    } else if (digit2 >= 0) {
      if (digit2 === 0) throwError(state, "bad explicit indentation width of a block scalar; it cannot be less than one");
      if (detectedIndent) throwError(state, "repeat of an indentation width identifier");
      indent = parentIndent + digit2 - 1;
      detectedIndent = true;
      state.position++;
    } else break;
  }
  let hadWhitespace = false;
  while (isWhiteSpace(state.input.charCodeAt(state.position))) {
    hadWhitespace = true;
    state.position++;
  }
  if (hadWhitespace && state.input.charCodeAt(state.position) === 35) skipUntilLineEnd(state);
  if (isEol(state.input.charCodeAt(state.position))) consumeLineBreak(state);
  else if (state.input.charCodeAt(state.position) !== 0) throwError(state, "a line break is expected");
  let contentIndent = detectedIndent ? indent : -1;
  let maxLeadingIndent = 0;
  const valueStart = state.position;
  let valueEnd = state.position;
  while (state.input.charCodeAt(state.position) !== 0) {
    const linePosition = state.position;
    let column = 0;
    while (state.input.charCodeAt(linePosition + column) === 32) column++;
    const first = state.input.charCodeAt(linePosition + column);
    if (first === 0) {
      if (contentIndent >= 0) {
        if (column > contentIndent) valueEnd = linePosition + column;
      } else if (column > 0) valueEnd = linePosition + column;
      break;
    }
    if (testDocumentBoundary(state)) break;
    if (!detectedIndent && contentIndent === -1 && isEol(first)) maxLeadingIndent = Math.max(maxLeadingIndent, column);
    if (!detectedIndent && contentIndent === -1 && !isEol(first)) {
      if (first === 9 && column < parentIndent) {
        state.position = linePosition + column;
        throwError(state, "tab characters must not be used in indentation");
      }
      if (column >= parentIndent && column < maxLeadingIndent) {
        state.position = linePosition + column;
        throwError(state, "bad indentation of a mapping entry");
      }
    }
    if (contentIndent === -1 && first !== 0 && !isEol(first) && column < parentIndent) {
      state.lineIndent = column;
      state.position = linePosition + column;
      break;
    }
    if (!detectedIndent && first !== 0 && !isEol(first) && contentIndent === -1) contentIndent = column;
    const requiredIndent = contentIndent === -1 ? parentIndent + 1 : contentIndent;
    if (first !== 0 && !isEol(first) && column < requiredIndent) {
      state.lineIndent = column;
      state.position = linePosition + column;
      break;
    }
    skipUntilLineEnd(state);
    valueEnd = state.position;
    if (isEol(state.input.charCodeAt(state.position))) {
      consumeLineBreak(state);
      valueEnd = state.position;
    }
  }
  checkPrintable(state, valueStart, valueEnd);
  addScalarEvent(state, valueStart, valueEnd, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, style, chomping, contentIndent);
  return true;
}
function canStartPlainScalar(state, nodeContext) {
  const ch = state.input.charCodeAt(state.position);
  const inFlow = nodeContext === CONTEXT_FLOW_IN;
  if (ch === 0 || isWsOrEol(ch) || ch === 35 || ch === 38 || ch === 42 || ch === 33 || ch === 124 || ch === 62 || ch === 39 || ch === 34 || ch === 37 || ch === 64 || ch === 96 || isFlowIndicator(ch)) return false;
  if (ch === 63 || ch === 45) {
    const following = state.input.charCodeAt(state.position + 1);
    if (isWsOrEolOrEnd(following) || inFlow && isFlowIndicator(following)) return false;
  }
  return true;
}
function readPlainScalar(state, nodeIndent, nodeContext, props) {
  if (!canStartPlainScalar(state, nodeContext)) return false;
  const start2 = state.position;
  let end = state.position;
  let ch = state.input.charCodeAt(state.position);
  const inFlow = nodeContext === CONTEXT_FLOW_IN;
  let multiline = false;
  while (ch !== 0) {
    if (testDocumentBoundary(state)) break;
    if (ch === 58) {
      const following = state.input.charCodeAt(state.position + 1);
      if (isWsOrEolOrEnd(following) || inFlow && isFlowIndicator(following)) break;
    } else if (ch === 35) {
      if (isWsOrEol(state.input.charCodeAt(state.position - 1))) break;
    } else if (inFlow && isFlowIndicator(ch)) break;
    else if (isEol(ch)) {
      const savedPosition = state.position;
      const savedLine = state.line;
      const savedLineStart = state.lineStart;
      const savedLineIndent = state.lineIndent;
      skipSeparationSpace(state, false);
      if (state.lineIndent >= nodeIndent) {
        multiline = true;
        ch = state.input.charCodeAt(state.position);
        continue;
      }
      state.position = savedPosition;
      state.line = savedLine;
      state.lineStart = savedLineStart;
      state.lineIndent = savedLineIndent;
      break;
    }
    if (!isWhiteSpace(ch)) end = state.position + 1;
    ch = state.input.charCodeAt(++state.position);
  }
  if (end === start2) return false;
  checkPrintable(state, start2, end);
  addScalarEvent(state, start2, end, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, SCALAR_STYLE.PLAIN, CHOMPING_MODE.CLIP, -1, !multiline);
  return true;
}
function skipFlowSeparationSpace(state, nodeIndent) {
  const startLine = state.line;
  skipSeparationSpace(state, true);
  if (state.line > startLine && state.lineIndent < nodeIndent || state.firstTabInLine !== -1 && state.lineIndent < nodeIndent) throwError(state, "deficient indentation");
}
function readFlowCollection(state, nodeIndent, props) {
  const ch = state.input.charCodeAt(state.position);
  const isMapping = ch === 123;
  const start2 = state.position;
  let readNext = true;
  if (ch !== 91 && ch !== 123) return false;
  const terminator = isMapping ? 125 : 93;
  if (isMapping) addMappingEvent(state, start2, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, COLLECTION_STYLE.FLOW);
  else addSequenceEvent(state, start2, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, COLLECTION_STYLE.FLOW);
  state.position++;
  while (state.input.charCodeAt(state.position) !== 0) {
    skipFlowSeparationSpace(state, nodeIndent);
    let ch2 = state.input.charCodeAt(state.position);
    if (ch2 === terminator) {
      state.position++;
      addPopEvent(state);
      return true;
    } else if (!readNext) throwError(state, "missed comma between flow collection entries");
    else if (ch2 === 44) throwError(state, "expected the node content, but found ','");
    let isPair = false;
    let isExplicitPair = false;
    if (ch2 === 63 && isWsOrEol(state.input.charCodeAt(state.position + 1))) {
      isPair = isExplicitPair = true;
      state.position += 1;
      skipFlowSeparationSpace(state, nodeIndent);
    }
    const entryLine = state.line;
    const entryStart = snapshotState(state);
    const keyWasRead = parseNode(state, nodeIndent, CONTEXT_FLOW_IN, false, true);
    skipFlowSeparationSpace(state, nodeIndent);
    ch2 = state.input.charCodeAt(state.position);
    if ((isMapping || isExplicitPair || state.line === entryLine) && ch2 === 58) {
      isPair = true;
      state.position++;
      skipFlowSeparationSpace(state, nodeIndent);
      if (!isMapping) {
        insertFlowPairMappingEvent(state, entryStart);
        if (!keyWasRead) addEmptyScalarEvent(state);
      } else if (!keyWasRead) addEmptyScalarEvent(state);
      if (!parseNode(state, nodeIndent, CONTEXT_FLOW_IN, false, true)) addEmptyScalarEvent(state);
      skipFlowSeparationSpace(state, nodeIndent);
      if (!isMapping) addPopEvent(state);
    } else if (isMapping && isPair) {
      if (!keyWasRead) addEmptyScalarEvent(state);
      addEmptyScalarEvent(state);
    } else if (isMapping) addEmptyScalarEvent(state);
    else if (isPair) {
      insertFlowPairMappingEvent(state, entryStart);
      if (!keyWasRead) addEmptyScalarEvent(state);
      addEmptyScalarEvent(state);
      addPopEvent(state);
    }
    ch2 = state.input.charCodeAt(state.position);
    if (ch2 === 44) {
      readNext = true;
      state.position++;
    } else readNext = false;
  }
  throwError(state, "unexpected end of the stream within a flow collection");
}
function readBlockSequence(state, nodeIndent, props) {
  if (state.firstTabInLine !== -1 || state.input.charCodeAt(state.position) !== 45 || !isWsOrEolOrEnd(state.input.charCodeAt(state.position + 1))) return false;
  addSequenceEvent(state, state.position, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, COLLECTION_STYLE.BLOCK);
  while (state.input.charCodeAt(state.position) === 45 && isWsOrEolOrEnd(state.input.charCodeAt(state.position + 1))) {
    if (state.firstTabInLine !== -1) {
      state.position = state.firstTabInLine;
      throwError(state, "tab characters must not be used in indentation");
    }
    const entryLine = state.line;
    state.position++;
    const hadBreak = skipSeparationSpace(state, true) > 0;
    if (state.firstTabInLine !== -1 && state.input.charCodeAt(state.position) === 45 && isWsOrEolOrEnd(state.input.charCodeAt(state.position + 1))) throwError(state, "bad indentation of a sequence entry");
    if (hadBreak && state.lineIndent <= nodeIndent) addEmptyScalarEvent(state);
    else parseNode(state, nodeIndent, CONTEXT_BLOCK_IN, false, true);
    skipSeparationSpace(state, true);
    if (state.lineIndent < nodeIndent || state.position >= state.length) break;
    if (state.lineIndent > nodeIndent) throwError(state, "bad indentation of a sequence entry");
    if (state.line === entryLine && state.input.charCodeAt(state.position) === 45 && isWsOrEolOrEnd(state.input.charCodeAt(state.position + 1))) throwError(state, "bad indentation of a sequence entry");
  }
  addPopEvent(state);
  return true;
}
function readBlockMapping(state, nodeIndent, flowIndent, props) {
  let atExplicitKey = false;
  let detected = false;
  let mappingOpened = false;
  let pendingExplicitKey = false;
  if (state.firstTabInLine !== -1) return false;
  let ch = state.input.charCodeAt(state.position);
  while (ch !== 0) {
    if (!atExplicitKey && state.firstTabInLine !== -1) {
      state.position = state.firstTabInLine;
      throwError(state, "tab characters must not be used in indentation");
    }
    const following = state.input.charCodeAt(state.position + 1);
    const entryLine = state.line;
    if ((ch === 63 || ch === 58) && isWsOrEolOrEnd(following)) {
      if (!mappingOpened) {
        addMappingEvent(state, state.position, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, COLLECTION_STYLE.BLOCK);
        mappingOpened = true;
      }
      if (ch === 63) {
        if (atExplicitKey) addEmptyScalarEvent(state);
        detected = true;
        atExplicitKey = true;
      } else if (atExplicitKey) atExplicitKey = false;
      else {
        addEmptyScalarEvent(state);
        detected = true;
        atExplicitKey = false;
      }
      state.position += 1;
      pendingExplicitKey = true;
    } else {
      if (atExplicitKey) {
        addEmptyScalarEvent(state);
        atExplicitKey = false;
      }
      const beforeKey = snapshotState(state);
      if (!parseNode(state, flowIndent, CONTEXT_FLOW_OUT, false, true)) break;
      if (state.line === entryLine) {
        ch = state.input.charCodeAt(state.position);
        while (isWhiteSpace(ch)) ch = state.input.charCodeAt(++state.position);
        if (ch === 58) {
          ch = state.input.charCodeAt(++state.position);
          if (!isWsOrEolOrEnd(ch)) throwError(state, "a whitespace character is expected after the key-value separator within a block mapping");
          if (!mappingOpened) {
            state.events.splice(beforeKey.eventsLength, 0, {
              type: EVENT_ID.MAPPING,
              start: beforeKey.position,
              anchorStart: props.anchorStart,
              anchorEnd: props.anchorEnd,
              tagStart: props.tagStart,
              tagEnd: props.tagEnd,
              style: COLLECTION_STYLE.BLOCK
            });
            mappingOpened = true;
          }
          detected = true;
          atExplicitKey = false;
          pendingExplicitKey = false;
        } else if (detected) throwError(state, "expected ':' after a mapping key");
        else {
          if (props.anchorStart !== NO_RANGE$1 || props.tagStart !== NO_RANGE$1) {
            restoreState(state, beforeKey);
            return false;
          }
          return true;
        }
      } else if (detected) throwError(state, "can not read a block mapping entry; a multiline key may not be an implicit key");
      else {
        if (props.anchorStart !== NO_RANGE$1 || props.tagStart !== NO_RANGE$1) {
          restoreState(state, beforeKey);
          return false;
        }
        return true;
      }
    }
    if (parseNode(state, nodeIndent, CONTEXT_BLOCK_OUT, true, pendingExplicitKey)) pendingExplicitKey = false;
    if (!atExplicitKey) {
      if (pendingExplicitKey) {
        addEmptyScalarEvent(state);
        pendingExplicitKey = false;
      }
    }
    skipSeparationSpace(state, true);
    ch = state.input.charCodeAt(state.position);
    if ((state.line === entryLine || state.lineIndent > nodeIndent) && ch !== 0) throwError(state, "bad indentation of a mapping entry");
    else if (state.lineIndent < nodeIndent) break;
  }
  if (!detected) return false;
  if (atExplicitKey) addEmptyScalarEvent(state);
  if (mappingOpened) addPopEvent(state);
  return true;
}
function parseNode(state, parentIndent, nodeContext, allowToSeek, allowCompact, allowPropertyMapping = true) {
  if (state.depth >= state.maxDepth) throwError(state, `nesting exceeded maxDepth (${state.maxDepth})`);
  state.depth++;
  let indentStatus = 1;
  let atNewLine = false;
  let hasContent = false;
  let propertyStart = null;
  const props = emptyProperties();
  let allowBlockScalars = nodeContext === CONTEXT_BLOCK_OUT || nodeContext === CONTEXT_BLOCK_IN;
  let allowBlockCollections = allowBlockScalars;
  const allowBlockStyles = allowBlockScalars;
  if (allowToSeek && skipSeparationSpace(state, true)) {
    atNewLine = true;
    if (state.lineIndent > parentIndent) indentStatus = 1;
    else if (state.lineIndent === parentIndent) indentStatus = 0;
    else indentStatus = -1;
  }
  if (indentStatus === 1) while (true) {
    const ch = state.input.charCodeAt(state.position);
    const propertyState = snapshotState(state);
    if (atNewLine && indentStatus !== 1 && (ch === 33 || ch === 38)) break;
    if (atNewLine && allowBlockStyles && (props.tagStart !== NO_RANGE$1 || props.anchorStart !== NO_RANGE$1) && (ch === 33 || ch === 38)) {
      const fallbackState = snapshotState(state);
      const flowIndent = parentIndent + 1;
      if (readBlockMapping(state, state.position - state.lineStart, flowIndent, props) && state.events[fallbackState.eventsLength]?.type === EVENT_ID.MAPPING) {
        state.depth--;
        return true;
      }
      restoreState(state, fallbackState);
    }
    if (atNewLine && (ch === 33 && props.tagStart !== NO_RANGE$1 || ch === 38 && props.anchorStart !== NO_RANGE$1)) break;
    if (!readTagProperty(state, props, nodeContext === CONTEXT_FLOW_IN) && !readAnchorProperty(state, props)) break;
    if (propertyStart === null) propertyStart = propertyState;
    if (skipSeparationSpace(state, true)) {
      atNewLine = true;
      allowBlockCollections = allowBlockStyles;
      if (state.lineIndent > parentIndent) indentStatus = 1;
      else if (state.lineIndent === parentIndent) indentStatus = 0;
      else indentStatus = -1;
    } else allowBlockCollections = false;
  }
  if (allowBlockCollections) allowBlockCollections = atNewLine || allowCompact;
  if (indentStatus === 1 || nodeContext === CONTEXT_BLOCK_OUT) {
    const flowIndent = nodeContext === CONTEXT_FLOW_IN || nodeContext === CONTEXT_FLOW_OUT ? parentIndent : parentIndent + 1;
    const blockIndent = state.position - state.lineStart;
    if (indentStatus === 1) {
      if (allowBlockCollections && (readBlockSequence(state, blockIndent, props) || readBlockMapping(state, blockIndent, flowIndent, props)) || readFlowCollection(state, flowIndent, props)) hasContent = true;
      else {
        const ch = state.input.charCodeAt(state.position);
        if (propertyStart !== null && allowPropertyMapping && allowBlockStyles && !allowBlockCollections && ch !== 124 && ch !== 62) {
          const fallbackState = snapshotState(state);
          const propertyIndent = propertyStart.position - propertyStart.lineStart;
          restoreState(state, propertyStart);
          if (readBlockMapping(state, propertyIndent, flowIndent, emptyProperties()) && state.events[fallbackState.eventsLength]?.type === EVENT_ID.MAPPING) hasContent = true;
          else restoreState(state, fallbackState);
        }
        if (!hasContent && (allowBlockScalars && readBlockScalar(state, flowIndent, props) || readSingleQuotedScalar(state, flowIndent, props) || readDoubleQuotedScalar(state, flowIndent, props) || readAlias(state, props) || readPlainScalar(state, flowIndent, nodeContext, props))) hasContent = true;
      }
    } else if (indentStatus === 0) hasContent = allowBlockCollections && readBlockSequence(state, blockIndent, props);
  }
  allowBlockScalars = allowBlockScalars && !hasContent;
  if (!hasContent && (props.anchorStart !== NO_RANGE$1 || props.tagStart !== NO_RANGE$1 || allowBlockScalars)) {
    addScalarEvent(state, NO_RANGE$1, NO_RANGE$1, props.anchorStart, props.anchorEnd, props.tagStart, props.tagEnd, SCALAR_STYLE.PLAIN);
    hasContent = true;
  }
  state.depth--;
  return hasContent || props.anchorStart !== NO_RANGE$1 || props.tagStart !== NO_RANGE$1;
}
function readDirective(state) {
  if (state.lineIndent > 0 || state.input.charCodeAt(state.position) !== 37) return false;
  state.position++;
  const nameStart = state.position;
  while (state.input.charCodeAt(state.position) !== 0 && !isWsOrEol(state.input.charCodeAt(state.position))) state.position++;
  const name2 = state.input.slice(nameStart, state.position);
  const args2 = [];
  if (name2.length === 0) throwError(state, "directive name must not be less than one character in length");
  while (state.input.charCodeAt(state.position) !== 0 && !isEol(state.input.charCodeAt(state.position))) {
    while (isWhiteSpace(state.input.charCodeAt(state.position))) state.position++;
    if (state.input.charCodeAt(state.position) === 35 || isEol(state.input.charCodeAt(state.position)) || state.input.charCodeAt(state.position) === 0) break;
    const start2 = state.position;
    while (state.input.charCodeAt(state.position) !== 0 && !isWsOrEol(state.input.charCodeAt(state.position))) state.position++;
    args2.push(state.input.slice(start2, state.position));
  }
  if (isEol(state.input.charCodeAt(state.position))) consumeLineBreak(state);
  if (name2 === "YAML") {
    if (state.directives.some((directive) => directive.kind === "yaml")) throwError(state, "duplication of %YAML directive");
    if (args2.length !== 1) throwError(state, "YAML directive accepts exactly one argument");
    const match2 = /^([0-9]+)\.([0-9]+)$/.exec(args2[0]);
    if (match2 === null) throwError(state, "ill-formed argument of the YAML directive");
    if (parseInt(match2[1], 10) !== 1) throwError(state, "unacceptable YAML version of the document");
    state.directives.push({
      kind: "yaml",
      version: args2[0]
    });
  } else if (name2 === "TAG") {
    if (args2.length !== 2) throwError(state, "TAG directive accepts exactly two arguments");
    const [handle2, prefix2] = args2;
    if (!PATTERN_TAG_HANDLE.test(handle2)) throwError(state, "ill-formed tag handle (first argument) of the TAG directive");
    if (HAS_OWN.call(state.tagHandlers, handle2)) throwError(state, `there is a previously declared suffix for "${handle2}" tag handle`);
    if (!PATTERN_TAG_PREFIX.test(prefix2)) throwError(state, "ill-formed tag prefix (second argument) of the TAG directive");
    state.tagHandlers[handle2] = prefix2;
    state.directives.push({
      kind: "tag",
      handle: handle2,
      prefix: prefix2
    });
  }
  return true;
}
function readDocument(state) {
  state.directives = [];
  state.tagHandlers = /* @__PURE__ */ Object.create(null);
  let hasDirectives = false;
  skipSeparationSpace(state, true);
  while (readDirective(state)) {
    hasDirectives = true;
    skipSeparationSpace(state, true);
  }
  let explicitStart = false;
  let explicitEnd = false;
  let allowCompact = true;
  if (state.lineIndent === 0 && state.input.charCodeAt(state.position) === 45 && state.input.charCodeAt(state.position + 1) === 45 && state.input.charCodeAt(state.position + 2) === 45 && isWsOrEolOrEnd(state.input.charCodeAt(state.position + 3))) {
    explicitStart = true;
    const markerLine = state.line;
    state.position += 3;
    skipSeparationSpace(state, true);
    allowCompact = state.line > markerLine;
  } else if (hasDirectives) throwError(state, "directives end mark is expected");
  const documentEventIndex = state.events.length;
  if (!explicitStart && state.position === state.lineStart && state.input.charCodeAt(state.position) === 46 && testDocumentSeparator(state)) {
    state.position += 3;
    skipSeparationSpace(state, true);
    return;
  }
  addDocumentEvent(state, explicitStart, false);
  if (!parseNode(state, state.lineIndent - 1, CONTEXT_BLOCK_OUT, false, allowCompact, allowCompact)) addEmptyScalarEvent(state);
  skipSeparationSpace(state, true);
  if (state.position === state.lineStart && testDocumentSeparator(state)) {
    explicitEnd = state.input.charCodeAt(state.position) === 46;
    if (explicitEnd) {
      const markerLine = state.line;
      state.position += 3;
      skipSeparationSpace(state, true);
      if (state.line === markerLine && state.position < state.length) throwError(state, "end of the stream or a document separator is expected");
    }
  }
  const documentEvent = state.events[documentEventIndex];
  if (documentEvent?.type === EVENT_ID.DOCUMENT) documentEvent.explicitEnd = explicitEnd;
  addPopEvent(state);
  if (!explicitEnd && state.position < state.length && !testDocumentBoundary(state)) throwError(state, "end of the stream or a document separator is expected");
}
function parseEvents(input, options) {
  const length = input.length;
  const state = {
    ...DEFAULT_PARSER_OPTIONS,
    ...options,
    input: `${input}\0`,
    length,
    position: 0,
    line: 0,
    lineStart: 0,
    lineIndent: 0,
    firstTabInLine: -1,
    depth: 0,
    directives: [],
    tagHandlers: /* @__PURE__ */ Object.create(null),
    events: []
  };
  const nullpos = input.indexOf("\0");
  if (nullpos !== -1) YAMLException.throwAt(input, nullpos, "null byte is not allowed in input", state.filename);
  while (state.position < state.length) {
    skipByteOrderMark(state);
    skipSeparationSpace(state, true);
    if (state.position >= state.length) break;
    const documentStart = state.position;
    readDocument(state);
    if (state.position === documentStart)
      throwError(state, "can not read a document");
  }
  return state.events;
}
var DEFAULT_LOAD_OPTIONS = {
  ...DEFAULT_PARSER_OPTIONS,
  ...DEFAULT_CONSTRUCTOR_OPTIONS
};
function loadDocuments(input, options = {}) {
  const opts2 = {
    ...DEFAULT_LOAD_OPTIONS,
    ...options
  };
  const source = String(input);
  const PARSER_OPT_KEYS = Object.keys(DEFAULT_PARSER_OPTIONS);
  const CONSTRUCTOR_OPT_KEYS = Object.keys(DEFAULT_CONSTRUCTOR_OPTIONS);
  return constructFromEvents(parseEvents(source, pick(opts2, PARSER_OPT_KEYS)), {
    ...pick(opts2, CONSTRUCTOR_OPT_KEYS),
    source
  });
}
function load(input, options) {
  const documents = loadDocuments(input, options);
  if (documents.length === 0) throw new YAMLException("expected a document, but the input is empty");
  if (documents.length === 1) return documents[0];
  throw new YAMLException("expected a single document in the stream, but found more");
}
function hasBit(mask, bit) {
  return (mask & 1 << bit) !== 0;
}
var DEFAULT_SCALAR_STYLE_RULES = {
  applyQuoteFlowKeysOption,
  doubleQuoteForInvisibles,
  doubleQuoteWhitespaceOnly,
  applyForceQuotesOption,
  tryLongOrMultilineAsBlock,
  quoteInvalidPlain,
  fallbackToDoubleQuoted
};
function _preferredQuotedStyle(layout) {
  if (layout.presenterOptions.quoteStyle === "single" && hasBit(layout.allowedStylesMask, SCALAR_STYLE.SINGLE_QUOTED)) return SCALAR_STYLE.SINGLE_QUOTED;
  return SCALAR_STYLE.DOUBLE_QUOTED;
}
function applyQuoteFlowKeysOption(layout) {
  if (!layout.presenterOptions.quoteFlowKeys) return;
  if (!layout.isKey || !layout.flowOnly || layout.style !== SCALAR_STYLE.PLAIN) return;
  layout.style = SCALAR_STYLE.DOUBLE_QUOTED;
}
function doubleQuoteForInvisibles(layout) {
  if (layout.style === SCALAR_STYLE.PLAIN && /[\t\x7F-\xA0\u2028\u2029\uFEFF\uFFFE\uFFFF]/.test(layout.node.value)) layout.style = SCALAR_STYLE.DOUBLE_QUOTED;
}
function doubleQuoteWhitespaceOnly(layout) {
  if (layout.style === SCALAR_STYLE.PLAIN && /^\s+$/.test(layout.node.value)) layout.style = SCALAR_STYLE.DOUBLE_QUOTED;
}
function applyForceQuotesOption(layout) {
  if (!layout.presenterOptions.forceQuotes) return;
  if (layout.isKey || layout.style !== SCALAR_STYLE.PLAIN) return;
  if (layout.node.tag !== layout.presenterOptions.schema.defaultScalarTag.tagName) return;
  layout.style = layout.node.value.includes("\n") ? SCALAR_STYLE.DOUBLE_QUOTED : _preferredQuotedStyle(layout);
}
function tryLongOrMultilineAsBlock(layout) {
  if (layout.style !== SCALAR_STYLE.PLAIN || layout.isKey) return;
  const value = layout.node.value;
  const multiline = value.indexOf("\n") !== -1;
  if (!hasBit(layout.allowedStylesMask, SCALAR_STYLE.LITERAL_BLOCK)) {
    if (multiline) layout.style = SCALAR_STYLE.DOUBLE_QUOTED;
    return;
  }
  const w = layout.presenterOptions.lineWidth;
  if (w === -1) {
    if (multiline) layout.style = SCALAR_STYLE.LITERAL_BLOCK;
    return;
  }
  const availableWidth = Math.max(Math.min(w, 40), w - layout.shiftOfContent);
  let position = 0;
  let shouldFold = false;
  while (position <= value.length) {
    let lineEnd = value.length;
    const nextLineBreak = value.indexOf("\n", position);
    if (nextLineBreak !== -1) lineEnd = nextLineBreak;
    const line = value.slice(position, lineEnd);
    if (line.length > availableWidth && line[0] !== " " && / [^ \t]/.test(line)) shouldFold = true;
    if (nextLineBreak === -1) break;
    position = nextLineBreak + 1;
  }
  if (shouldFold) layout.style = SCALAR_STYLE.FOLDED_BLOCK;
  else if (multiline) layout.style = SCALAR_STYLE.LITERAL_BLOCK;
}
function quoteInvalidPlain(layout) {
  if (layout.style === SCALAR_STYLE.PLAIN && !hasBit(layout.allowedStylesMask, SCALAR_STYLE.PLAIN)) layout.style = _preferredQuotedStyle(layout);
}
function fallbackToDoubleQuoted(layout) {
  if (!hasBit(layout.allowedStylesMask, layout.style)) layout.style = SCALAR_STYLE.DOUBLE_QUOTED;
}
var SRC_C_PRINTABLE = "[\\x09\\x0A\\x0D\\x20-\\x7E\\x85\\xA0-\\uD7FF\\uE000-\\uFFFD\\u{10000}-\\u{10FFFF}]";
var SRC_B_CHAR = "[\\n\\r]";
var SRC_C_BYTE_ORDER_MARK = "\\uFEFF";
var SRC_S_WHITE = "[ \\t]";
var SRC_NB_CHAR = `(?:(?!(?:${SRC_B_CHAR}|${SRC_C_BYTE_ORDER_MARK}))${SRC_C_PRINTABLE})`;
var SRC_NS_CHAR = `(?:(?!${SRC_S_WHITE})${SRC_NB_CHAR})`;
var SRC_NB_JSON = "[\\x09\\x20-\\uD7FF\\uE000-\\uFFFF\\u{10000}-\\u{10FFFF}]";
var SRC_C_INDICATOR = "[-?:,\\[\\]{}#&*!|>'\"%@`]";
var SRC_C_FLOW_INDICATOR = "[,\\[\\]{}]";
var SRC_NS_PLAIN_SAFE_FLOW_OUT = SRC_NS_CHAR;
var SRC_NS_PLAIN_SAFE_FLOW_IN = `(?:(?!${SRC_C_FLOW_INDICATOR})${SRC_NS_CHAR})`;
var SRC_NS_PLAIN_FIRST_FLOW_OUT = `(?:(?:(?!${SRC_C_INDICATOR})${SRC_NS_CHAR})|[?:-](?=${SRC_NS_PLAIN_SAFE_FLOW_OUT}))`;
var SRC_NS_PLAIN_FIRST_FLOW_IN = `(?:(?:(?!${SRC_C_INDICATOR})${SRC_NS_CHAR})|[?:-](?=${SRC_NS_PLAIN_SAFE_FLOW_IN}))`;
var SRC_NS_PLAIN_CHAR_FLOW_OUT = `(?:(?:(?![:#])${SRC_NS_PLAIN_SAFE_FLOW_OUT})|:(?=${SRC_NS_PLAIN_SAFE_FLOW_OUT}))#*`;
var SRC_NS_PLAIN_CHAR_FLOW_IN = `(?:(?:(?![:#])${SRC_NS_PLAIN_SAFE_FLOW_IN})|:(?=${SRC_NS_PLAIN_SAFE_FLOW_IN}))#*`;
var SRC_NB_NS_PLAIN_IN_LINE_FLOW_OUT = `(?:${SRC_S_WHITE}*${SRC_NS_PLAIN_CHAR_FLOW_OUT})*`;
var SRC_NB_NS_PLAIN_IN_LINE_FLOW_IN = `(?:${SRC_S_WHITE}*${SRC_NS_PLAIN_CHAR_FLOW_IN})*`;
var SRC_NS_PLAIN_ONE_LINE_FLOW_OUT = `${SRC_NS_PLAIN_FIRST_FLOW_OUT}#*${SRC_NB_NS_PLAIN_IN_LINE_FLOW_OUT}`;
var SRC_NS_PLAIN_ONE_LINE_FLOW_IN = `${SRC_NS_PLAIN_FIRST_FLOW_IN}#*${SRC_NB_NS_PLAIN_IN_LINE_FLOW_IN}`;
var SRC_NS_PLAIN_ONE_LINE_BLOCK_KEY = SRC_NS_PLAIN_ONE_LINE_FLOW_OUT;
var SRC_NS_PLAIN_ONE_LINE_FLOW_KEY = SRC_NS_PLAIN_ONE_LINE_FLOW_IN;
var SRC_S_NS_PLAIN_NEXT_LINE_FLOW_OUT = `\\n+${SRC_NS_PLAIN_CHAR_FLOW_OUT}${SRC_NB_NS_PLAIN_IN_LINE_FLOW_OUT}`;
var SRC_S_NS_PLAIN_NEXT_LINE_FLOW_IN = `\\n+${SRC_NS_PLAIN_CHAR_FLOW_IN}${SRC_NB_NS_PLAIN_IN_LINE_FLOW_IN}`;
var SRC_NS_PLAIN_MULTI_LINE_FLOW_OUT = `${SRC_NS_PLAIN_ONE_LINE_FLOW_OUT}(?:${SRC_S_NS_PLAIN_NEXT_LINE_FLOW_OUT})*`;
var SRC_NS_PLAIN_MULTI_LINE_FLOW_IN = `${SRC_NS_PLAIN_ONE_LINE_FLOW_IN}(?:${SRC_S_NS_PLAIN_NEXT_LINE_FLOW_IN})*`;
var NS_PLAIN_FLOW_OUT = new RegExp(`^(?:${SRC_NS_PLAIN_MULTI_LINE_FLOW_OUT})$`, "u");
var NS_PLAIN_FLOW_IN = new RegExp(`^(?:${SRC_NS_PLAIN_MULTI_LINE_FLOW_IN})$`, "u");
var NS_PLAIN_BLOCK_KEY = new RegExp(`^(?:${SRC_NS_PLAIN_ONE_LINE_BLOCK_KEY})$`, "u");
var NS_PLAIN_FLOW_KEY = new RegExp(`^(?:${SRC_NS_PLAIN_ONE_LINE_FLOW_KEY})$`, "u");
var NB_SINGLE_ONE_LINE = new RegExp(`^(?:${SRC_NB_JSON})*$`, "u");
var NB_SINGLE_MULTI_LINE = new RegExp(`^(?:${SRC_NB_JSON}|\\n)*$`, "u");
var BLOCK_SCALAR_CONTENT = new RegExp(`^(?:${SRC_NB_CHAR}|\\n)*$`, "u");
var DEFAULT_PRESENTER_OPTIONS = {
  indent: 2,
  seqNoIndent: false,
  seqInlineFirst: true,
  lineWidth: 80,
  flowBracketPadding: false,
  flowSkipCommaSpace: false,
  flowSkipColonSpace: false,
  quoteFlowKeys: false,
  quoteStyle: "single",
  forceQuotes: false,
  scalarStyleRules: Object.keys(DEFAULT_SCALAR_STYLE_RULES).map((name2) => Reflect.get(DEFAULT_SCALAR_STYLE_RULES, name2)),
  tagBeforeAnchor: false
};
var DEFAULT_DUMP_OPTIONS = {
  ...DEFAULT_PRESENTER_OPTIONS,
  schema: DUMP_SCHEMA,
  skipInvalid: false,
  noRefs: false,
  flowLevel: -1,
  sortKeys: false,
  transform: () => {
  }
};
var EVENT_DOCUMENT = EVENT_ID.DOCUMENT;
var EVENT_SEQUENCE = EVENT_ID.SEQUENCE;
var EVENT_MAPPING = EVENT_ID.MAPPING;
var EVENT_SCALAR = EVENT_ID.SCALAR;
var EVENT_ALIAS = EVENT_ID.ALIAS;
var EVENT_POP = EVENT_ID.POP;
var SCALAR_STYLE_PLAIN = SCALAR_STYLE.PLAIN;
var SCALAR_STYLE_SINGLE_QUOTED = SCALAR_STYLE.SINGLE_QUOTED;
var SCALAR_STYLE_DOUBLE_QUOTED = SCALAR_STYLE.DOUBLE_QUOTED;
var SCALAR_STYLE_LITERAL_BLOCK = SCALAR_STYLE.LITERAL_BLOCK;
var SCALAR_STYLE_FOLDED_BLOCK = SCALAR_STYLE.FOLDED_BLOCK;
var COLLECTION_STYLE_BLOCK = COLLECTION_STYLE.BLOCK;
var COLLECTION_STYLE_FLOW = COLLECTION_STYLE.FLOW;
var CHOMPING_CLIP = CHOMPING_MODE.CLIP;
var CHOMPING_STRIP = CHOMPING_MODE.STRIP;
var CHOMPING_KEEP = CHOMPING_MODE.KEEP;

// src/core/config/schema.ts
var configSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://github.com/container-guard/container-guard/blob/main/schema/config.schema.json",
  title: "container-guard configuration (.container-guard.yml)",
  description: "One file configures lint, verify, gate and comment.",
  type: "object",
  additionalProperties: false,
  properties: {
    $schema: {
      type: "string"
    },
    rules: {
      description: "Rule id (or alias such as DL3008) to off | error | warning | note | on, or { severity, options }.",
      type: "object",
      additionalProperties: {
        $ref: "#/definitions/ruleSetting"
      }
    },
    lint: {
      type: "object",
      additionalProperties: false,
      properties: {
        include: {
          description: "Globs of Dockerfiles to lint (relative to the repository root).",
          $ref: "#/definitions/globs"
        },
        exclude: {
          description: "Globs to skip; node_modules and .git are always skipped.",
          $ref: "#/definitions/globs"
        },
        "build-args": {
          description: "--build-arg values used to resolve ARGs in FROM, USER and elsewhere.",
          type: "object",
          additionalProperties: {
            type: ["string", "number", "boolean"]
          }
        },
        targets: {
          description: "Stage names that ship (default: the last stage).",
          type: "array",
          items: {
            type: "string",
            minLength: 1
          }
        },
        "max-file-size": {
          description: "Largest Dockerfile read, in bytes (default 2 MiB).",
          type: "integer",
          minimum: 1
        },
        shellcheck: {
          description: "Run shellcheck over shell-form RUN bodies: auto (when on PATH), on, off.",
          enum: ["auto", "on", "off"]
        }
      }
    },
    overrides: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["files", "rules"],
        properties: {
          files: {
            $ref: "#/definitions/globs"
          },
          rules: {
            type: "object",
            additionalProperties: {
              $ref: "#/definitions/ruleSetting"
            }
          }
        }
      }
    },
    ignores: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["rules", "reason"],
        properties: {
          rules: {
            oneOf: [
              {
                type: "string",
                minLength: 1
              },
              {
                type: "array",
                minItems: 1,
                items: {
                  type: "string",
                  minLength: 1
                }
              }
            ]
          },
          files: {
            $ref: "#/definitions/globs"
          },
          until: {
            description: "YYYY-MM-DD; after this day the ignore stops hiding findings.",
            type: "string",
            pattern: "^\\d{4}-\\d{2}-\\d{2}$"
          },
          reason: {
            type: "string",
            minLength: 1
          }
        }
      }
    },
    verify: {
      type: "object"
    },
    gate: {
      type: "object"
    },
    comment: {
      type: "object"
    }
  },
  definitions: {
    globs: {
      type: "array",
      items: {
        type: "string",
        minLength: 1
      }
    },
    level: {
      enum: ["off", "on", "error", "warning", "note"]
    },
    ruleSetting: {
      oneOf: [
        {
          $ref: "#/definitions/level"
        },
        {
          type: "boolean"
        },
        {
          type: "object",
          additionalProperties: false,
          properties: {
            severity: {
              $ref: "#/definitions/level"
            },
            options: {
              type: "object"
            }
          }
        }
      ]
    }
  }
};

// src/core/config/types.ts
var DEFAULT_INCLUDE = ["**/Dockerfile", "**/Dockerfile.*", "**/*.Dockerfile", "**/*.dockerfile", "**/Containerfile", "**/Containerfile.*"];
var DEFAULT_EXCLUDE = ["**/node_modules/**", "**/.git/**"];
function defaultConfig() {
  return {
    rules: {},
    overrides: [],
    ignores: [],
    lint: {
      include: [...DEFAULT_INCLUDE],
      exclude: [...DEFAULT_EXCLUDE],
      buildArgs: {},
      targets: [],
      maxFileSize: 2 * 1024 * 1024,
      shellcheck: "auto"
    }
  };
}

// src/core/config/yaml-positions.ts
var escapePointer = (s) => s.replace(/~/g, "~0").replace(/\//g, "~1");
function lineStarts(text) {
  const starts = [0];
  for (let i2 = 0; i2 < text.length; i2++) if (text.charCodeAt(i2) === 10) starts.push(i2 + 1);
  return starts;
}
function offsetToLine(starts, offset) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = lo + hi + 1 >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
function yamlPositions(text) {
  const out2 = /* @__PURE__ */ new Map();
  const starts = lineStarts(text);
  const stack = [];
  const enter = (offset) => {
    const top = stack[stack.length - 1];
    if (!top) {
      out2.set("", offsetToLine(starts, offset));
      return "";
    }
    if (top.kind === "seq") {
      const p2 = `${top.path}/${top.index++}`;
      out2.set(p2, offsetToLine(starts, offset));
      return p2;
    }
    const p = `${top.path}/${escapePointer(top.key ?? "")}`;
    if (!out2.has(p)) out2.set(p, offsetToLine(starts, offset));
    top.key = void 0;
    return p;
  };
  for (const ev of parseEvents(text, {})) {
    switch (ev.type) {
      case 2:
      case 3: {
        const path11 = enter(ev.start);
        stack.push({ kind: ev.type === 2 ? "seq" : "map", path: path11, index: 0 });
        break;
      }
      case 4: {
        const top = stack[stack.length - 1];
        if (top && top.kind === "map" && top.key === void 0) {
          top.key = getScalarValue(text, ev);
          out2.set(`${top.path}/${escapePointer(top.key)}`, offsetToLine(starts, ev.valueStart));
        } else enter(ev.valueStart);
        break;
      }
      case 5: {
        enter(ev.anchorStart);
        break;
      }
      case 6:
        stack.pop();
        break;
      default:
        break;
    }
  }
  return out2;
}
function lineOf(positions, pointer) {
  let p = pointer;
  for (; ; ) {
    const l = positions.get(p);
    if (l !== void 0) return l;
    if (p === "") return 1;
    p = p.slice(0, p.lastIndexOf("/"));
  }
}

// src/core/config/load.ts
var ConfigError = class extends Error {
  constructor(file, line, detail) {
    super(`${file}:${line}: ${detail}`);
    this.file = file;
    this.line = line;
    this.detail = detail;
    this.name = "ConfigError";
  }
  file;
  line;
  detail;
};
var ajv = new import_ajv.Ajv({ allErrors: false, strict: false });
var validateConfig = ajv.compile(configSchema);
var optionValidators = /* @__PURE__ */ new WeakMap();
function describe(e) {
  const where = e.instancePath ? `"${e.instancePath.slice(1).replace(/\//g, ".")}"` : "the top level";
  if (e.keyword === "additionalProperties") return `unknown key "${e.params.additionalProperty}" in ${where}`;
  if (e.keyword === "enum") return `${where} must be one of ${e.params.allowedValues.join(", ")}`;
  return `${where} ${e.message ?? "is invalid"}`;
}
function toSetting(value) {
  if (value === true || value === "on") return { enabled: true };
  if (value === false || value === "off") return { enabled: false };
  if (typeof value === "string") return { enabled: true, severity: value };
  const v = value;
  const s = {};
  if (v.severity === "off") s.enabled = false;
  else if (v.severity === "on") s.enabled = true;
  else if (v.severity) {
    s.enabled = true;
    s.severity = v.severity;
  }
  if (v.options) s.options = v.options;
  return s;
}
function parseConfig(text, file, rules2) {
  let data;
  if (text.split(/\r?\n/).every((l) => l.trim() === "" || l.trim().startsWith("#"))) {
    const empty = defaultConfig();
    empty.file = file;
    return empty;
  }
  try {
    data = load(text);
  } catch (e) {
    if (e instanceof YAMLException) {
      const mark = e.mark;
      throw new ConfigError(file, (mark?.line ?? 0) + 1, `invalid YAML: ${e.reason}`);
    }
    throw e;
  }
  const config = defaultConfig();
  config.file = file;
  if (data === void 0 || data === null) return config;
  const positions = yamlPositions(text);
  const fail2 = (pointer, detail) => {
    throw new ConfigError(file, lineOf(positions, pointer), detail);
  };
  if (!validateConfig(data)) {
    const errs = validateConfig.errors ?? [];
    const e = [...errs].sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
    const extra = e.keyword === "additionalProperties" ? `/${e.params.additionalProperty}` : "";
    fail2(e.instancePath + extra, describe(e));
  }
  const d = data;
  const byKey = /* @__PURE__ */ new Map();
  for (const r of rules2) {
    for (const k of [r.meta.id, ...r.meta.aliases]) byKey.set(k.toLowerCase(), [...byKey.get(k.toLowerCase()) ?? [], r]);
  }
  const resolveRules = (section, base) => {
    const out2 = {};
    for (const [key, value] of Object.entries(section)) {
      const targets = byKey.get(key.toLowerCase());
      if (!targets) fail2(`${base}/${key}`, `unknown rule "${key}" (see \`container-guard rules\` for ids and aliases)`);
      const setting = toSetting(value);
      for (const r of targets) {
        if (setting.options) {
          if (!r.meta.optionsSchema) fail2(`${base}/${key}/options`, `rule "${r.meta.id}" takes no options`);
          let v = optionValidators.get(r);
          if (!v) {
            v = ajv.compile({ type: "object", additionalProperties: false, ...r.meta.optionsSchema });
            optionValidators.set(r, v);
          }
          if (!v(setting.options)) {
            const e = (v.errors ?? [])[0];
            const extra = e.keyword === "additionalProperties" ? `/${e.params.additionalProperty}` : "";
            fail2(
              `${base}/${key}/options${e.instancePath}${extra}`,
              `rule "${r.meta.id}" option ${describe(e).replace(/^the top level/, "")}`.replace(/option "/, 'option "')
            );
          }
        }
        out2[r.meta.id] = { ...out2[r.meta.id], ...setting };
      }
    }
    return out2;
  };
  if (d.rules) config.rules = resolveRules(d.rules, "/rules");
  const lint2 = d.lint ?? {};
  if (lint2.include) config.lint.include = lint2.include;
  if (lint2.exclude) config.lint.exclude = [...config.lint.exclude, ...lint2.exclude];
  if (lint2["build-args"]) {
    config.lint.buildArgs = Object.fromEntries(Object.entries(lint2["build-args"]).map(([k, v]) => [k, String(v)]));
  }
  if (lint2.targets) config.lint.targets = lint2.targets;
  if (lint2["max-file-size"]) config.lint.maxFileSize = lint2["max-file-size"];
  if (lint2.shellcheck) config.lint.shellcheck = lint2.shellcheck;
  config.overrides = (d.overrides ?? []).map((o, i2) => ({
    files: o.files,
    rules: resolveRules(o.rules, `/overrides/${i2}/rules`)
  }));
  config.ignores = (d.ignores ?? []).map((ig, i2) => {
    const ids = Array.isArray(ig.rules) ? ig.rules : [ig.rules];
    for (const id of ids) if (!byKey.has(id.toLowerCase())) fail2(`/ignores/${i2}/rules`, `unknown rule "${id}" in ignores`);
    if (ig.until && Number.isNaN(Date.parse(`${ig.until}T00:00:00Z`))) fail2(`/ignores/${i2}/until`, `"${ig.until}" is not a valid date (YYYY-MM-DD)`);
    return { rules: ids, files: ig.files, until: ig.until, reason: ig.reason, source: { file, line: lineOf(positions, `/ignores/${i2}`) } };
  });
  config.verify = d.verify;
  config.gate = d.gate;
  config.comment = d.comment;
  return config;
}
function withBuildArgs(config, buildArgs) {
  return { ...config, lint: { ...config.lint, buildArgs: { ...config.lint.buildArgs, ...buildArgs } } };
}
function parseBuildArgs(text, source = "build-args") {
  const out2 = {};
  for (const part of text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new ConfigError(source, 1, `"${part}" is not KEY=value`);
    out2[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out2;
}

// src/core/finding.ts
var RANK = { error: 3, warning: 2, note: 1 };
function parseSeverity(value) {
  const v = value.trim().toLowerCase();
  if (v === "error" || v === "warning" || v === "note") return v;
  if (v === "info" || v === "style") return "note";
  throw new Error(`unknown severity "${value}" (expected error, warning or note)`);
}
function parseThreshold(value) {
  const v = value.trim().toLowerCase();
  return v === "none" || v === "never" ? "none" : parseSeverity(v);
}
function atOrAbove(s, threshold) {
  return threshold !== "none" && RANK[s] >= RANK[threshold];
}
function compareFindings(a, b) {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}
function countBySeverity(findings) {
  const counts = { error: 0, warning: 0, note: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

// src/core/report/json.ts
function fixJson(x) {
  const out2 = { line: x.line, endLine: x.endLine, replacement: x.replacement };
  if (x.description !== void 0) out2.description = x.description;
  return out2;
}
function findingJson(f) {
  const out2 = {
    ruleId: f.ruleId,
    aliases: [...f.aliases],
    severity: f.severity,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    message: f.message,
    help: f.help
  };
  if (f.fix) out2.fix = fixJson(f.fix);
  if (f.tool !== void 0) out2.tool = f.tool;
  if (f.snippet !== void 0) out2.snippet = f.snippet;
  return out2;
}
function toJsonReport(report) {
  return {
    findings: report.findings.map(findingJson),
    summary: {
      files: report.files.length,
      counts: { error: report.counts.error, warning: report.counts.warning, note: report.counts.note },
      suppressed: report.suppressed.length,
      errors: report.errors.map((e) => ({ file: e.file, message: e.message }))
    }
  };
}
function formatJson(report) {
  return `${JSON.stringify(toJsonReport(report), null, 2)}
`;
}

// src/core/report/sarif.ts
import { createHash } from "node:crypto";

// src/core/rules/types.ts
function defineRule(rule) {
  return rule;
}
var DOCS_BASE = "https://github.com/container-guard/container-guard/blob/main/docs/rules/";
function docsUrl(id) {
  return `${DOCS_BASE}${id}.md`;
}

// src/core/report/util.ts
var UNSAFE_RE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
function stripUnsafe(s) {
  return s.replace(UNSAFE_RE, "\uFFFD");
}
function oneLine(s) {
  return stripUnsafe(s.replace(/\r\n|\r|\n/g, " "));
}
function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
function toPosixPath(file) {
  let p = file.replace(/\\/g, "/");
  while (p.startsWith("./")) p = p.slice(2);
  return p;
}
function ruleIndex(rules2) {
  const m = /* @__PURE__ */ new Map();
  for (const r of rules2) if (!m.has(r.id)) m.set(r.id, r);
  return m;
}
function httpUrl(url) {
  if (!url) return void 0;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : void 0;
  } catch {
    return void 0;
  }
}

// src/core/report/sarif.ts
var SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
var SARIF_VERSION = "2.1.0";
var FINGERPRINT_KEY = "containerGuard/v1";
var SECURITY_SEVERITY = { error: "9.0", warning: "6.0", note: "3.0" };
function encodePath(p) {
  return p.split("/").map((seg, i2) => i2 <= 1 && /^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg)).join("/");
}
function artifactLocation(file) {
  const p = toPosixPath(file);
  if (/^[A-Za-z]:\//.test(p)) return { uri: `file:///${encodePath(p)}` };
  if (p.startsWith("/")) return { uri: `file://${encodePath(p)}` };
  return { uri: encodePath(p), uriBaseId: "%SRCROOT%" };
}
var pos = (n) => Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
function region(f) {
  const startLine = pos(f.line);
  const r = { startLine, startColumn: pos(f.column), endLine: Math.max(startLine, pos(f.endLine)) };
  if (f.snippet !== void 0 && f.snippet !== "") r.snippet = { text: f.snippet };
  return r;
}
function pascal(id) {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join("");
}
function fenced(body2, lang) {
  const longest = Math.max(0, ...(body2.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${lang}
${body2.replace(/\n+$/, "")}
${fence}`;
}
var PRECISIONS = /* @__PURE__ */ new Set(["very-high", "high", "medium", "low"]);
function tagValue(tags, key) {
  const prefix2 = `${key}:`;
  const t = tags.find((x) => x.toLowerCase().startsWith(prefix2));
  return t?.slice(prefix2.length).trim();
}
function securitySeverity(tags, level) {
  if (!tags.some((t) => t.toLowerCase() === "security")) return void 0;
  const pinned = tagValue(tags, "security-severity");
  if (pinned !== void 0) {
    const n = Number(pinned);
    if (pinned !== "" && Number.isFinite(n) && n >= 0 && n <= 10) return n.toFixed(1);
  }
  return SECURITY_SEVERITY[level];
}
var RANK2 = { error: 3, warning: 2, note: 1 };
function ruleDescriptor(id, meta, sample, worst) {
  const helpUri = httpUrl(sample.help) ?? docsUrl(id);
  if (!meta) {
    return {
      id,
      name: pascal(id),
      shortDescription: { text: id },
      helpUri,
      defaultConfiguration: { level: sample.severity },
      properties: { tags: [], precision: "high" }
    };
  }
  const pinTag = /^(security-severity|precision):/i;
  const tags = [...new Set(meta.tags.filter((t) => !pinTag.test(t)))];
  const precision = tagValue(meta.tags, "precision")?.toLowerCase();
  const properties = { tags, precision: precision && PRECISIONS.has(precision) ? precision : "high" };
  const sev = securitySeverity(meta.tags, worst);
  if (sev !== void 0) properties["security-severity"] = sev;
  if (meta.aliases.length > 0) properties.aliases = [...new Set(meta.aliases)];
  const aliasText = meta.aliases.length > 0 ? `

Also known as: ${meta.aliases.join(", ")}` : "";
  const aliasMd = meta.aliases.length > 0 ? `

Also known as: ${meta.aliases.map((a) => `\`${a}\``).join(", ")}` : "";
  const text = `${meta.description}

Bad:
${meta.bad}

Good:
${meta.good}${aliasText}

Documentation: ${helpUri}`;
  const markdown = `${meta.description}

**Bad**

${fenced(meta.bad, "dockerfile")}

**Good**

${fenced(meta.good, "dockerfile")}${aliasMd}

[Documentation](${helpUri})`;
  return {
    id,
    name: pascal(id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description, markdown: meta.description },
    help: { text, markdown },
    helpUri,
    defaultConfiguration: { level: meta.severity, enabled: meta.enabledByDefault ?? true },
    properties
  };
}
function fingerprintBase(f) {
  const snippet = f.snippet?.trim().replace(/\s+/g, " ");
  const content = snippet ? snippet : f.message;
  return createHash("sha256").update(`${f.ruleId}\0${toPosixPath(f.file)}\0${content}`, "utf8").digest("hex");
}
function fingerprints(all) {
  const order = [...all].sort(compareFindings);
  const seen = /* @__PURE__ */ new Map();
  const out2 = /* @__PURE__ */ new Map();
  for (const f of order) {
    const h = fingerprintBase(f);
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    out2.set(f, `${h}:${n}`);
  }
  return out2;
}
function suppressionOf(f) {
  const by = f.suppressedBy;
  return { kind: by === "config" ? "external" : "inSource", status: "accepted" };
}
function toSarif(report, options = {}) {
  const metas = ruleIndex(report.rules);
  const all = [...report.findings, ...report.suppressed];
  const seen = /* @__PURE__ */ new Map();
  for (const f of all) {
    const s = seen.get(f.ruleId);
    if (!s) seen.set(f.ruleId, { sample: f, worst: f.severity });
    else if (RANK2[f.severity] > RANK2[s.worst]) s.worst = f.severity;
  }
  const ids = [...seen.keys()].sort();
  const rules2 = ids.map((id) => {
    const s = seen.get(id);
    return ruleDescriptor(id, metas.get(id), s.sample, s.worst);
  });
  const indexOf = new Map(ids.map((id, i2) => [id, i2]));
  const prints = fingerprints(all);
  const toResult = (f, suppressed) => {
    const loc = artifactLocation(f.file);
    const result = {
      ruleId: f.ruleId,
      ruleIndex: indexOf.get(f.ruleId),
      level: f.severity,
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: loc, region: region(f) } }],
      partialFingerprints: { [FINGERPRINT_KEY]: prints.get(f) }
    };
    if (f.fix) {
      const startLine = pos(f.fix.line);
      const fix = {
        artifactChanges: [
          {
            artifactLocation: loc,
            replacements: [{ deletedRegion: { startLine, endLine: Math.max(startLine, pos(f.fix.endLine)) }, insertedContent: { text: f.fix.replacement } }]
          }
        ]
      };
      if (f.fix.description) fix.description = { text: f.fix.description };
      result.fixes = [fix];
    }
    if (suppressed) result.suppressions = [suppressionOf(f)];
    if (f.tool) result.properties = { tool: f.tool };
    return result;
  };
  const driver = { name: report.tool.name, version: report.tool.version };
  if (/^\d+\.\d+\.\d+(?:[-+].*)?$/.test(report.tool.version)) driver.semanticVersion = report.tool.version;
  if (httpUrl(report.tool.informationUri)) driver.informationUri = report.tool.informationUri;
  driver.rules = rules2;
  const run2 = {
    tool: { driver },
    ...options.category ? { automationDetails: { id: options.category.endsWith("/") ? options.category : `${options.category}/` } } : {},
    columnKind: "utf16CodeUnits",
    invocations: [
      {
        executionSuccessful: true,
        toolExecutionNotifications: report.errors.map((e) => ({
          level: "error",
          message: { text: `could not read ${e.file}: ${e.message}` },
          locations: [{ physicalLocation: { artifactLocation: artifactLocation(e.file) } }]
        }))
      }
    ],
    results: [...report.findings.map((f) => toResult(f, false)), ...report.suppressed.map((f) => toResult(f, true))]
  };
  return { $schema: SARIF_SCHEMA, version: SARIF_VERSION, runs: [run2] };
}
function formatSarif(report, options = {}) {
  return `${JSON.stringify(toSarif(report, options), null, 2)}
`;
}

// src/core/report/text.ts
var COLOR = { error: "31", warning: "33", note: "36" };
var SEVERITY_WIDTH = "warning".length;
function snippetLines(f, paint) {
  if (f.snippet === void 0) return [];
  const text = stripUnsafe(f.snippet);
  const num = String(f.line);
  const pad = " ".repeat(Math.max(num.length, 4));
  const col = Math.min(Math.max(f.column, 1), text.length + 1);
  const lead = text.slice(0, col - 1).replace(/[^\t]/g, " ");
  const caret = paint(COLOR[f.severity], "^");
  return [`${paint("2", `${num.padStart(pad.length)} |`)} ${text}`, `${paint("2", `${pad} |`)} ${lead}${caret}`];
}
function findingBlock(f, paint) {
  const where = paint("1", `${oneLine(f.file)}:${f.line}:${f.column}`);
  const sev = paint(COLOR[f.severity], f.severity.padEnd(SEVERITY_WIDTH));
  const head = `${where}  ${sev}  ${oneLine(f.message)}  ${paint("2", `[${oneLine(f.ruleId)}]`)}`;
  const out2 = [head, ...snippetLines(f, paint)];
  if (f.fix) {
    const what = f.fix.description ? `: ${oneLine(f.fix.description)}` : "";
    out2.push(paint("2", `    fix available${what}`));
  }
  return out2;
}
function totalsLine(report) {
  const c = report.counts;
  const parts2 = [`${plural(c.error, "error")}, ${plural(c.warning, "warning")}, ${plural(c.note, "note")} in ${plural(report.files.length, "file")}`];
  if (report.suppressed.length > 0) parts2.push(`${report.suppressed.length} suppressed`);
  const unreadable = new Set(report.errors.map((e) => e.file)).size;
  if (unreadable > 0) parts2.push(`${plural(unreadable, "file")} could not be read`);
  return parts2.join("; ");
}
function formatText(report, options = {}) {
  const paint = options.color ? (code, s) => `\x1B[${code}m${s}\x1B[0m` : (_code, s) => s;
  const blocks = report.findings.map((f) => findingBlock(f, paint));
  const shown = new Set(report.findings.map((f) => `${f.file}\0${f.message}`));
  for (const e of report.errors) {
    if (shown.has(`${e.file}\0${e.message}`)) continue;
    blocks.push([`${paint("1", oneLine(e.file))}  ${paint(COLOR.error, "error".padEnd(SEVERITY_WIDTH))}  could not be read: ${oneLine(e.message)}`]);
  }
  const c = report.counts;
  const worst = c.error > 0 ? "error" : c.warning > 0 ? "warning" : c.note > 0 ? "note" : void 0;
  const totals = worst ? paint(`1;${COLOR[worst]}`, totalsLine(report)) : paint("32", totalsLine(report));
  const body2 = blocks.map((b) => b.join("\n")).join("\n\n");
  return `${body2 ? `${body2}

` : ""}${totals}
`;
}

// node_modules/web-tree-sitter/tree-sitter.js
var __defProp2 = Object.defineProperty;
var __name = (target, value) => __defProp2(target, "name", { value, configurable: true });
var SIZE_OF_SHORT = 2;
var SIZE_OF_INT = 4;
var SIZE_OF_CURSOR = 4 * SIZE_OF_INT;
var SIZE_OF_NODE = 5 * SIZE_OF_INT;
var SIZE_OF_POINT = 2 * SIZE_OF_INT;
var SIZE_OF_RANGE = 2 * SIZE_OF_INT + 2 * SIZE_OF_POINT;
var ZERO_POINT = { row: 0, column: 0 };
var INTERNAL = /* @__PURE__ */ Symbol("INTERNAL");
function assertInternal(x) {
  if (x !== INTERNAL) throw new Error("Illegal constructor");
}
__name(assertInternal, "assertInternal");
function isPoint(point) {
  return !!point && typeof point.row === "number" && typeof point.column === "number";
}
__name(isPoint, "isPoint");
function setModule(module2) {
  C = module2;
}
__name(setModule, "setModule");
var C;
var LookaheadIterator = class {
  static {
    __name(this, "LookaheadIterator");
  }
  /** @internal */
  [0] = 0;
  // Internal handle for WASM
  /** @internal */
  language;
  /** @internal */
  constructor(internal, address, language) {
    assertInternal(internal);
    this[0] = address;
    this.language = language;
  }
  /** Get the current symbol of the lookahead iterator. */
  get currentTypeId() {
    return C._ts_lookahead_iterator_current_symbol(this[0]);
  }
  /** Get the current symbol name of the lookahead iterator. */
  get currentType() {
    return this.language.types[this.currentTypeId] || "ERROR";
  }
  /** Delete the lookahead iterator, freeing its resources. */
  delete() {
    C._ts_lookahead_iterator_delete(this[0]);
    this[0] = 0;
  }
  /**
   * Reset the lookahead iterator.
   *
   * This returns `true` if the language was set successfully and `false`
   * otherwise.
   */
  reset(language, stateId) {
    if (C._ts_lookahead_iterator_reset(this[0], language[0], stateId)) {
      this.language = language;
      return true;
    }
    return false;
  }
  /**
   * Reset the lookahead iterator to another state.
   *
   * This returns `true` if the iterator was reset to the given state and
   * `false` otherwise.
   */
  resetState(stateId) {
    return Boolean(C._ts_lookahead_iterator_reset_state(this[0], stateId));
  }
  /**
   * Returns an iterator that iterates over the symbols of the lookahead iterator.
   *
   * The iterator will yield the current symbol name as a string for each step
   * until there are no more symbols to iterate over.
   */
  [Symbol.iterator]() {
    return {
      next: /* @__PURE__ */ __name(() => {
        if (C._ts_lookahead_iterator_next(this[0])) {
          return { done: false, value: this.currentType };
        }
        return { done: true, value: "" };
      }, "next")
    };
  }
};
function getText(tree, startIndex, endIndex2, startPosition) {
  const length = endIndex2 - startIndex;
  let result = tree.textCallback(startIndex, startPosition);
  if (result) {
    startIndex += result.length;
    while (startIndex < endIndex2) {
      const string = tree.textCallback(startIndex, startPosition);
      if (string && string.length > 0) {
        startIndex += string.length;
        result += string;
      } else {
        break;
      }
    }
    if (startIndex > endIndex2) {
      result = result.slice(0, length);
    }
  }
  return result ?? "";
}
__name(getText, "getText");
var Tree = class _Tree {
  static {
    __name(this, "Tree");
  }
  /** @internal */
  [0] = 0;
  // Internal handle for WASM
  /** @internal */
  textCallback;
  /** The language that was used to parse the syntax tree. */
  language;
  /** @internal */
  constructor(internal, address, language, textCallback) {
    assertInternal(internal);
    this[0] = address;
    this.language = language;
    this.textCallback = textCallback;
  }
  /** Create a shallow copy of the syntax tree. This is very fast. */
  copy() {
    const address = C._ts_tree_copy(this[0]);
    return new _Tree(INTERNAL, address, this.language, this.textCallback);
  }
  /** Delete the syntax tree, freeing its resources. */
  delete() {
    C._ts_tree_delete(this[0]);
    this[0] = 0;
  }
  /** Get the root node of the syntax tree. */
  get rootNode() {
    C._ts_tree_root_node_wasm(this[0]);
    return unmarshalNode(this);
  }
  /**
   * Get the root node of the syntax tree, but with its position shifted
   * forward by the given offset.
   */
  rootNodeWithOffset(offsetBytes, offsetExtent) {
    const address = TRANSFER_BUFFER + SIZE_OF_NODE;
    C.setValue(address, offsetBytes, "i32");
    marshalPoint(address + SIZE_OF_INT, offsetExtent);
    C._ts_tree_root_node_with_offset_wasm(this[0]);
    return unmarshalNode(this);
  }
  /**
   * Edit the syntax tree to keep it in sync with source code that has been
   * edited.
   *
   * You must describe the edit both in terms of byte offsets and in terms of
   * row/column coordinates.
   */
  edit(edit) {
    marshalEdit(edit);
    C._ts_tree_edit_wasm(this[0]);
  }
  /** Create a new {@link TreeCursor} starting from the root of the tree. */
  walk() {
    return this.rootNode.walk();
  }
  /**
   * Compare this old edited syntax tree to a new syntax tree representing
   * the same document, returning a sequence of ranges whose syntactic
   * structure has changed.
   *
   * For this to work correctly, this syntax tree must have been edited such
   * that its ranges match up to the new tree. Generally, you'll want to
   * call this method right after calling one of the [`Parser::parse`]
   * functions. Call it on the old tree that was passed to parse, and
   * pass the new tree that was returned from `parse`.
   */
  getChangedRanges(other) {
    if (!(other instanceof _Tree)) {
      throw new TypeError("Argument must be a Tree");
    }
    C._ts_tree_get_changed_ranges_wasm(this[0], other[0]);
    const count = C.getValue(TRANSFER_BUFFER, "i32");
    const buffer = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
    const result = new Array(count);
    if (count > 0) {
      let address = buffer;
      for (let i2 = 0; i2 < count; i2++) {
        result[i2] = unmarshalRange(address);
        address += SIZE_OF_RANGE;
      }
      C._free(buffer);
    }
    return result;
  }
  /** Get the included ranges that were used to parse the syntax tree. */
  getIncludedRanges() {
    C._ts_tree_included_ranges_wasm(this[0]);
    const count = C.getValue(TRANSFER_BUFFER, "i32");
    const buffer = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
    const result = new Array(count);
    if (count > 0) {
      let address = buffer;
      for (let i2 = 0; i2 < count; i2++) {
        result[i2] = unmarshalRange(address);
        address += SIZE_OF_RANGE;
      }
      C._free(buffer);
    }
    return result;
  }
};
var TreeCursor = class _TreeCursor {
  static {
    __name(this, "TreeCursor");
  }
  /** @internal */
  // @ts-expect-error: never read
  [0] = 0;
  // Internal handle for Wasm
  /** @internal */
  // @ts-expect-error: never read
  [1] = 0;
  // Internal handle for Wasm
  /** @internal */
  // @ts-expect-error: never read
  [2] = 0;
  // Internal handle for Wasm
  /** @internal */
  // @ts-expect-error: never read
  [3] = 0;
  // Internal handle for Wasm
  /** @internal */
  tree;
  /** @internal */
  constructor(internal, tree) {
    assertInternal(internal);
    this.tree = tree;
    unmarshalTreeCursor(this);
  }
  /** Creates a deep copy of the tree cursor. This allocates new memory. */
  copy() {
    const copy = new _TreeCursor(INTERNAL, this.tree);
    C._ts_tree_cursor_copy_wasm(this.tree[0]);
    unmarshalTreeCursor(copy);
    return copy;
  }
  /** Delete the tree cursor, freeing its resources. */
  delete() {
    marshalTreeCursor(this);
    C._ts_tree_cursor_delete_wasm(this.tree[0]);
    this[0] = this[1] = this[2] = 0;
  }
  /** Get the tree cursor's current {@link Node}. */
  get currentNode() {
    marshalTreeCursor(this);
    C._ts_tree_cursor_current_node_wasm(this.tree[0]);
    return unmarshalNode(this.tree);
  }
  /**
   * Get the numerical field id of this tree cursor's current node.
   *
   * See also {@link TreeCursor#currentFieldName}.
   */
  get currentFieldId() {
    marshalTreeCursor(this);
    return C._ts_tree_cursor_current_field_id_wasm(this.tree[0]);
  }
  /** Get the field name of this tree cursor's current node. */
  get currentFieldName() {
    return this.tree.language.fields[this.currentFieldId];
  }
  /**
   * Get the depth of the cursor's current node relative to the original
   * node that the cursor was constructed with.
   */
  get currentDepth() {
    marshalTreeCursor(this);
    return C._ts_tree_cursor_current_depth_wasm(this.tree[0]);
  }
  /**
   * Get the index of the cursor's current node out of all of the
   * descendants of the original node that the cursor was constructed with.
   */
  get currentDescendantIndex() {
    marshalTreeCursor(this);
    return C._ts_tree_cursor_current_descendant_index_wasm(this.tree[0]);
  }
  /** Get the type of the cursor's current node. */
  get nodeType() {
    return this.tree.language.types[this.nodeTypeId] || "ERROR";
  }
  /** Get the type id of the cursor's current node. */
  get nodeTypeId() {
    marshalTreeCursor(this);
    return C._ts_tree_cursor_current_node_type_id_wasm(this.tree[0]);
  }
  /** Get the state id of the cursor's current node. */
  get nodeStateId() {
    marshalTreeCursor(this);
    return C._ts_tree_cursor_current_node_state_id_wasm(this.tree[0]);
  }
  /** Get the id of the cursor's current node. */
  get nodeId() {
    marshalTreeCursor(this);
    return C._ts_tree_cursor_current_node_id_wasm(this.tree[0]);
  }
  /**
   * Check if the cursor's current node is *named*.
   *
   * Named nodes correspond to named rules in the grammar, whereas
   * *anonymous* nodes correspond to string literals in the grammar.
   */
  get nodeIsNamed() {
    marshalTreeCursor(this);
    return C._ts_tree_cursor_current_node_is_named_wasm(this.tree[0]) === 1;
  }
  /**
   * Check if the cursor's current node is *missing*.
   *
   * Missing nodes are inserted by the parser in order to recover from
   * certain kinds of syntax errors.
   */
  get nodeIsMissing() {
    marshalTreeCursor(this);
    return C._ts_tree_cursor_current_node_is_missing_wasm(this.tree[0]) === 1;
  }
  /** Get the string content of the cursor's current node. */
  get nodeText() {
    marshalTreeCursor(this);
    const startIndex = C._ts_tree_cursor_start_index_wasm(this.tree[0]);
    const endIndex2 = C._ts_tree_cursor_end_index_wasm(this.tree[0]);
    C._ts_tree_cursor_start_position_wasm(this.tree[0]);
    const startPosition = unmarshalPoint(TRANSFER_BUFFER);
    return getText(this.tree, startIndex, endIndex2, startPosition);
  }
  /** Get the start position of the cursor's current node. */
  get startPosition() {
    marshalTreeCursor(this);
    C._ts_tree_cursor_start_position_wasm(this.tree[0]);
    return unmarshalPoint(TRANSFER_BUFFER);
  }
  /** Get the end position of the cursor's current node. */
  get endPosition() {
    marshalTreeCursor(this);
    C._ts_tree_cursor_end_position_wasm(this.tree[0]);
    return unmarshalPoint(TRANSFER_BUFFER);
  }
  /** Get the start index of the cursor's current node. */
  get startIndex() {
    marshalTreeCursor(this);
    return C._ts_tree_cursor_start_index_wasm(this.tree[0]);
  }
  /** Get the end index of the cursor's current node. */
  get endIndex() {
    marshalTreeCursor(this);
    return C._ts_tree_cursor_end_index_wasm(this.tree[0]);
  }
  /**
   * Move this cursor to the first child of its current node.
   *
   * This returns `true` if the cursor successfully moved, and returns
   * `false` if there were no children.
   */
  gotoFirstChild() {
    marshalTreeCursor(this);
    const result = C._ts_tree_cursor_goto_first_child_wasm(this.tree[0]);
    unmarshalTreeCursor(this);
    return result === 1;
  }
  /**
   * Move this cursor to the last child of its current node.
   *
   * This returns `true` if the cursor successfully moved, and returns
   * `false` if there were no children.
   *
   * Note that this function may be slower than
   * {@link TreeCursor#gotoFirstChild} because it needs to
   * iterate through all the children to compute the child's position.
   */
  gotoLastChild() {
    marshalTreeCursor(this);
    const result = C._ts_tree_cursor_goto_last_child_wasm(this.tree[0]);
    unmarshalTreeCursor(this);
    return result === 1;
  }
  /**
   * Move this cursor to the parent of its current node.
   *
   * This returns `true` if the cursor successfully moved, and returns
   * `false` if there was no parent node (the cursor was already on the
   * root node).
   *
   * Note that the node the cursor was constructed with is considered the root
   * of the cursor, and the cursor cannot walk outside this node.
   */
  gotoParent() {
    marshalTreeCursor(this);
    const result = C._ts_tree_cursor_goto_parent_wasm(this.tree[0]);
    unmarshalTreeCursor(this);
    return result === 1;
  }
  /**
   * Move this cursor to the next sibling of its current node.
   *
   * This returns `true` if the cursor successfully moved, and returns
   * `false` if there was no next sibling node.
   *
   * Note that the node the cursor was constructed with is considered the root
   * of the cursor, and the cursor cannot walk outside this node.
   */
  gotoNextSibling() {
    marshalTreeCursor(this);
    const result = C._ts_tree_cursor_goto_next_sibling_wasm(this.tree[0]);
    unmarshalTreeCursor(this);
    return result === 1;
  }
  /**
   * Move this cursor to the previous sibling of its current node.
   *
   * This returns `true` if the cursor successfully moved, and returns
   * `false` if there was no previous sibling node.
   *
   * Note that this function may be slower than
   * {@link TreeCursor#gotoNextSibling} due to how node
   * positions are stored. In the worst case, this will need to iterate
   * through all the children up to the previous sibling node to recalculate
   * its position. Also note that the node the cursor was constructed with is
   * considered the root of the cursor, and the cursor cannot walk outside this node.
   */
  gotoPreviousSibling() {
    marshalTreeCursor(this);
    const result = C._ts_tree_cursor_goto_previous_sibling_wasm(this.tree[0]);
    unmarshalTreeCursor(this);
    return result === 1;
  }
  /**
   * Move the cursor to the node that is the nth descendant of
   * the original node that the cursor was constructed with, where
   * zero represents the original node itself.
   */
  gotoDescendant(goalDescendantIndex) {
    marshalTreeCursor(this);
    C._ts_tree_cursor_goto_descendant_wasm(this.tree[0], goalDescendantIndex);
    unmarshalTreeCursor(this);
  }
  /**
   * Move this cursor to the first child of its current node that contains or
   * starts after the given byte offset.
   *
   * This returns `true` if the cursor successfully moved to a child node, and returns
   * `false` if no such child was found.
   */
  gotoFirstChildForIndex(goalIndex) {
    marshalTreeCursor(this);
    C.setValue(TRANSFER_BUFFER + SIZE_OF_CURSOR, goalIndex, "i32");
    const result = C._ts_tree_cursor_goto_first_child_for_index_wasm(this.tree[0]);
    unmarshalTreeCursor(this);
    return result === 1;
  }
  /**
   * Move this cursor to the first child of its current node that contains or
   * starts after the given byte offset.
   *
   * This returns the index of the child node if one was found, and returns
   * `null` if no such child was found.
   */
  gotoFirstChildForPosition(goalPosition) {
    marshalTreeCursor(this);
    marshalPoint(TRANSFER_BUFFER + SIZE_OF_CURSOR, goalPosition);
    const result = C._ts_tree_cursor_goto_first_child_for_position_wasm(this.tree[0]);
    unmarshalTreeCursor(this);
    return result === 1;
  }
  /**
   * Re-initialize this tree cursor to start at the original node that the
   * cursor was constructed with.
   */
  reset(node) {
    marshalNode(node);
    marshalTreeCursor(this, TRANSFER_BUFFER + SIZE_OF_NODE);
    C._ts_tree_cursor_reset_wasm(this.tree[0]);
    unmarshalTreeCursor(this);
  }
  /**
   * Re-initialize a tree cursor to the same position as another cursor.
   *
   * Unlike {@link TreeCursor#reset}, this will not lose parent
   * information and allows reusing already created cursors.
   */
  resetTo(cursor) {
    marshalTreeCursor(this, TRANSFER_BUFFER);
    marshalTreeCursor(cursor, TRANSFER_BUFFER + SIZE_OF_CURSOR);
    C._ts_tree_cursor_reset_to_wasm(this.tree[0], cursor.tree[0]);
    unmarshalTreeCursor(this);
  }
};
var Node = class {
  static {
    __name(this, "Node");
  }
  /** @internal */
  // @ts-expect-error: never read
  [0] = 0;
  // Internal handle for Wasm
  /** @internal */
  _children;
  /** @internal */
  _namedChildren;
  /** @internal */
  constructor(internal, {
    id,
    tree,
    startIndex,
    startPosition,
    other
  }) {
    assertInternal(internal);
    this[0] = other;
    this.id = id;
    this.tree = tree;
    this.startIndex = startIndex;
    this.startPosition = startPosition;
  }
  /**
   * The numeric id for this node that is unique.
   *
   * Within a given syntax tree, no two nodes have the same id. However:
   *
   * * If a new tree is created based on an older tree, and a node from the old tree is reused in
   *   the process, then that node will have the same id in both trees.
   *
   * * A node not marked as having changes does not guarantee it was reused.
   *
   * * If a node is marked as having changed in the old tree, it will not be reused.
   */
  id;
  /** The byte index where this node starts. */
  startIndex;
  /** The position where this node starts. */
  startPosition;
  /** The tree that this node belongs to. */
  tree;
  /** Get this node's type as a numerical id. */
  get typeId() {
    marshalNode(this);
    return C._ts_node_symbol_wasm(this.tree[0]);
  }
  /**
   * Get the node's type as a numerical id as it appears in the grammar,
   * ignoring aliases.
   */
  get grammarId() {
    marshalNode(this);
    return C._ts_node_grammar_symbol_wasm(this.tree[0]);
  }
  /** Get this node's type as a string. */
  get type() {
    return this.tree.language.types[this.typeId] || "ERROR";
  }
  /**
   * Get this node's symbol name as it appears in the grammar, ignoring
   * aliases as a string.
   */
  get grammarType() {
    return this.tree.language.types[this.grammarId] || "ERROR";
  }
  /**
   * Check if this node is *named*.
   *
   * Named nodes correspond to named rules in the grammar, whereas
   * *anonymous* nodes correspond to string literals in the grammar.
   */
  get isNamed() {
    marshalNode(this);
    return C._ts_node_is_named_wasm(this.tree[0]) === 1;
  }
  /**
   * Check if this node is *extra*.
   *
   * Extra nodes represent things like comments, which are not required
   * by the grammar, but can appear anywhere.
   */
  get isExtra() {
    marshalNode(this);
    return C._ts_node_is_extra_wasm(this.tree[0]) === 1;
  }
  /**
   * Check if this node represents a syntax error.
   *
   * Syntax errors represent parts of the code that could not be incorporated
   * into a valid syntax tree.
   */
  get isError() {
    marshalNode(this);
    return C._ts_node_is_error_wasm(this.tree[0]) === 1;
  }
  /**
   * Check if this node is *missing*.
   *
   * Missing nodes are inserted by the parser in order to recover from
   * certain kinds of syntax errors.
   */
  get isMissing() {
    marshalNode(this);
    return C._ts_node_is_missing_wasm(this.tree[0]) === 1;
  }
  /** Check if this node has been edited. */
  get hasChanges() {
    marshalNode(this);
    return C._ts_node_has_changes_wasm(this.tree[0]) === 1;
  }
  /**
   * Check if this node represents a syntax error or contains any syntax
   * errors anywhere within it.
   */
  get hasError() {
    marshalNode(this);
    return C._ts_node_has_error_wasm(this.tree[0]) === 1;
  }
  /** Get the byte index where this node ends. */
  get endIndex() {
    marshalNode(this);
    return C._ts_node_end_index_wasm(this.tree[0]);
  }
  /** Get the position where this node ends. */
  get endPosition() {
    marshalNode(this);
    C._ts_node_end_point_wasm(this.tree[0]);
    return unmarshalPoint(TRANSFER_BUFFER);
  }
  /** Get the string content of this node. */
  get text() {
    return getText(this.tree, this.startIndex, this.endIndex, this.startPosition);
  }
  /** Get this node's parse state. */
  get parseState() {
    marshalNode(this);
    return C._ts_node_parse_state_wasm(this.tree[0]);
  }
  /** Get the parse state after this node. */
  get nextParseState() {
    marshalNode(this);
    return C._ts_node_next_parse_state_wasm(this.tree[0]);
  }
  /** Check if this node is equal to another node. */
  equals(other) {
    return this.tree === other.tree && this.id === other.id;
  }
  /**
   * Get the node's child at the given index, where zero represents the first child.
   *
   * This method is fairly fast, but its cost is technically log(n), so if
   * you might be iterating over a long list of children, you should use
   * {@link Node#children} instead.
   */
  child(index) {
    marshalNode(this);
    C._ts_node_child_wasm(this.tree[0], index);
    return unmarshalNode(this.tree);
  }
  /**
   * Get this node's *named* child at the given index.
   *
   * See also {@link Node#isNamed}.
   * This method is fairly fast, but its cost is technically log(n), so if
   * you might be iterating over a long list of children, you should use
   * {@link Node#namedChildren} instead.
   */
  namedChild(index) {
    marshalNode(this);
    C._ts_node_named_child_wasm(this.tree[0], index);
    return unmarshalNode(this.tree);
  }
  /**
   * Get this node's child with the given numerical field id.
   *
   * See also {@link Node#childForFieldName}. You can
   * convert a field name to an id using {@link Language#fieldIdForName}.
   */
  childForFieldId(fieldId) {
    marshalNode(this);
    C._ts_node_child_by_field_id_wasm(this.tree[0], fieldId);
    return unmarshalNode(this.tree);
  }
  /**
   * Get the first child with the given field name.
   *
   * If multiple children may have the same field name, access them using
   * {@link Node#childrenForFieldName}.
   */
  childForFieldName(fieldName) {
    const fieldId = this.tree.language.fields.indexOf(fieldName);
    if (fieldId !== -1) return this.childForFieldId(fieldId);
    return null;
  }
  /** Get the field name of this node's child at the given index. */
  fieldNameForChild(index) {
    marshalNode(this);
    const address = C._ts_node_field_name_for_child_wasm(this.tree[0], index);
    if (!address) return null;
    return C.AsciiToString(address);
  }
  /** Get the field name of this node's named child at the given index. */
  fieldNameForNamedChild(index) {
    marshalNode(this);
    const address = C._ts_node_field_name_for_named_child_wasm(this.tree[0], index);
    if (!address) return null;
    return C.AsciiToString(address);
  }
  /**
   * Get an array of this node's children with a given field name.
   *
   * See also {@link Node#children}.
   */
  childrenForFieldName(fieldName) {
    const fieldId = this.tree.language.fields.indexOf(fieldName);
    if (fieldId !== -1 && fieldId !== 0) return this.childrenForFieldId(fieldId);
    return [];
  }
  /**
    * Get an array of this node's children with a given field id.
    *
    * See also {@link Node#childrenForFieldName}.
    */
  childrenForFieldId(fieldId) {
    marshalNode(this);
    C._ts_node_children_by_field_id_wasm(this.tree[0], fieldId);
    const count = C.getValue(TRANSFER_BUFFER, "i32");
    const buffer = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
    const result = new Array(count);
    if (count > 0) {
      let address = buffer;
      for (let i2 = 0; i2 < count; i2++) {
        result[i2] = unmarshalNode(this.tree, address);
        address += SIZE_OF_NODE;
      }
      C._free(buffer);
    }
    return result;
  }
  /** Get the node's first child that contains or starts after the given byte offset. */
  firstChildForIndex(index) {
    marshalNode(this);
    const address = TRANSFER_BUFFER + SIZE_OF_NODE;
    C.setValue(address, index, "i32");
    C._ts_node_first_child_for_byte_wasm(this.tree[0]);
    return unmarshalNode(this.tree);
  }
  /** Get the node's first named child that contains or starts after the given byte offset. */
  firstNamedChildForIndex(index) {
    marshalNode(this);
    const address = TRANSFER_BUFFER + SIZE_OF_NODE;
    C.setValue(address, index, "i32");
    C._ts_node_first_named_child_for_byte_wasm(this.tree[0]);
    return unmarshalNode(this.tree);
  }
  /** Get this node's number of children. */
  get childCount() {
    marshalNode(this);
    return C._ts_node_child_count_wasm(this.tree[0]);
  }
  /**
   * Get this node's number of *named* children.
   *
   * See also {@link Node#isNamed}.
   */
  get namedChildCount() {
    marshalNode(this);
    return C._ts_node_named_child_count_wasm(this.tree[0]);
  }
  /** Get this node's first child. */
  get firstChild() {
    return this.child(0);
  }
  /**
   * Get this node's first named child.
   *
   * See also {@link Node#isNamed}.
   */
  get firstNamedChild() {
    return this.namedChild(0);
  }
  /** Get this node's last child. */
  get lastChild() {
    return this.child(this.childCount - 1);
  }
  /**
   * Get this node's last named child.
   *
   * See also {@link Node#isNamed}.
   */
  get lastNamedChild() {
    return this.namedChild(this.namedChildCount - 1);
  }
  /**
   * Iterate over this node's children.
   *
   * If you're walking the tree recursively, you may want to use the
   * {@link TreeCursor} APIs directly instead.
   */
  get children() {
    if (!this._children) {
      marshalNode(this);
      C._ts_node_children_wasm(this.tree[0]);
      const count = C.getValue(TRANSFER_BUFFER, "i32");
      const buffer = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
      this._children = new Array(count);
      if (count > 0) {
        let address = buffer;
        for (let i2 = 0; i2 < count; i2++) {
          this._children[i2] = unmarshalNode(this.tree, address);
          address += SIZE_OF_NODE;
        }
        C._free(buffer);
      }
    }
    return this._children;
  }
  /**
   * Iterate over this node's named children.
   *
   * See also {@link Node#children}.
   */
  get namedChildren() {
    if (!this._namedChildren) {
      marshalNode(this);
      C._ts_node_named_children_wasm(this.tree[0]);
      const count = C.getValue(TRANSFER_BUFFER, "i32");
      const buffer = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
      this._namedChildren = new Array(count);
      if (count > 0) {
        let address = buffer;
        for (let i2 = 0; i2 < count; i2++) {
          this._namedChildren[i2] = unmarshalNode(this.tree, address);
          address += SIZE_OF_NODE;
        }
        C._free(buffer);
      }
    }
    return this._namedChildren;
  }
  /**
   * Get the descendants of this node that are the given type, or in the given types array.
   *
   * The types array should contain node type strings, which can be retrieved from {@link Language#types}.
   *
   * Additionally, a `startPosition` and `endPosition` can be passed in to restrict the search to a byte range.
   */
  descendantsOfType(types, startPosition = ZERO_POINT, endPosition = ZERO_POINT) {
    if (!Array.isArray(types)) types = [types];
    const symbols = [];
    const typesBySymbol = this.tree.language.types;
    for (const node_type of types) {
      if (node_type == "ERROR") {
        symbols.push(65535);
      }
    }
    for (let i2 = 0, n = typesBySymbol.length; i2 < n; i2++) {
      if (types.includes(typesBySymbol[i2])) {
        symbols.push(i2);
      }
    }
    const symbolsAddress = C._malloc(SIZE_OF_INT * symbols.length);
    for (let i2 = 0, n = symbols.length; i2 < n; i2++) {
      C.setValue(symbolsAddress + i2 * SIZE_OF_INT, symbols[i2], "i32");
    }
    marshalNode(this);
    C._ts_node_descendants_of_type_wasm(
      this.tree[0],
      symbolsAddress,
      symbols.length,
      startPosition.row,
      startPosition.column,
      endPosition.row,
      endPosition.column
    );
    const descendantCount = C.getValue(TRANSFER_BUFFER, "i32");
    const descendantAddress = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
    const result = new Array(descendantCount);
    if (descendantCount > 0) {
      let address = descendantAddress;
      for (let i2 = 0; i2 < descendantCount; i2++) {
        result[i2] = unmarshalNode(this.tree, address);
        address += SIZE_OF_NODE;
      }
    }
    C._free(descendantAddress);
    C._free(symbolsAddress);
    return result;
  }
  /** Get this node's next sibling. */
  get nextSibling() {
    marshalNode(this);
    C._ts_node_next_sibling_wasm(this.tree[0]);
    return unmarshalNode(this.tree);
  }
  /** Get this node's previous sibling. */
  get previousSibling() {
    marshalNode(this);
    C._ts_node_prev_sibling_wasm(this.tree[0]);
    return unmarshalNode(this.tree);
  }
  /**
   * Get this node's next *named* sibling.
   *
   * See also {@link Node#isNamed}.
   */
  get nextNamedSibling() {
    marshalNode(this);
    C._ts_node_next_named_sibling_wasm(this.tree[0]);
    return unmarshalNode(this.tree);
  }
  /**
   * Get this node's previous *named* sibling.
   *
   * See also {@link Node#isNamed}.
   */
  get previousNamedSibling() {
    marshalNode(this);
    C._ts_node_prev_named_sibling_wasm(this.tree[0]);
    return unmarshalNode(this.tree);
  }
  /** Get the node's number of descendants, including one for the node itself. */
  get descendantCount() {
    marshalNode(this);
    return C._ts_node_descendant_count_wasm(this.tree[0]);
  }
  /**
   * Get this node's immediate parent.
   * Prefer {@link Node#childWithDescendant} for iterating over this node's ancestors.
   */
  get parent() {
    marshalNode(this);
    C._ts_node_parent_wasm(this.tree[0]);
    return unmarshalNode(this.tree);
  }
  /**
   * Get the node that contains `descendant`.
   *
   * Note that this can return `descendant` itself.
   */
  childWithDescendant(descendant) {
    marshalNode(this);
    marshalNode(descendant, 1);
    C._ts_node_child_with_descendant_wasm(this.tree[0]);
    return unmarshalNode(this.tree);
  }
  /** Get the smallest node within this node that spans the given byte range. */
  descendantForIndex(start2, end = start2) {
    if (typeof start2 !== "number" || typeof end !== "number") {
      throw new Error("Arguments must be numbers");
    }
    marshalNode(this);
    const address = TRANSFER_BUFFER + SIZE_OF_NODE;
    C.setValue(address, start2, "i32");
    C.setValue(address + SIZE_OF_INT, end, "i32");
    C._ts_node_descendant_for_index_wasm(this.tree[0]);
    return unmarshalNode(this.tree);
  }
  /** Get the smallest named node within this node that spans the given byte range. */
  namedDescendantForIndex(start2, end = start2) {
    if (typeof start2 !== "number" || typeof end !== "number") {
      throw new Error("Arguments must be numbers");
    }
    marshalNode(this);
    const address = TRANSFER_BUFFER + SIZE_OF_NODE;
    C.setValue(address, start2, "i32");
    C.setValue(address + SIZE_OF_INT, end, "i32");
    C._ts_node_named_descendant_for_index_wasm(this.tree[0]);
    return unmarshalNode(this.tree);
  }
  /** Get the smallest node within this node that spans the given point range. */
  descendantForPosition(start2, end = start2) {
    if (!isPoint(start2) || !isPoint(end)) {
      throw new Error("Arguments must be {row, column} objects");
    }
    marshalNode(this);
    const address = TRANSFER_BUFFER + SIZE_OF_NODE;
    marshalPoint(address, start2);
    marshalPoint(address + SIZE_OF_POINT, end);
    C._ts_node_descendant_for_position_wasm(this.tree[0]);
    return unmarshalNode(this.tree);
  }
  /** Get the smallest named node within this node that spans the given point range. */
  namedDescendantForPosition(start2, end = start2) {
    if (!isPoint(start2) || !isPoint(end)) {
      throw new Error("Arguments must be {row, column} objects");
    }
    marshalNode(this);
    const address = TRANSFER_BUFFER + SIZE_OF_NODE;
    marshalPoint(address, start2);
    marshalPoint(address + SIZE_OF_POINT, end);
    C._ts_node_named_descendant_for_position_wasm(this.tree[0]);
    return unmarshalNode(this.tree);
  }
  /**
   * Create a new {@link TreeCursor} starting from this node.
   *
   * Note that the given node is considered the root of the cursor,
   * and the cursor cannot walk outside this node.
   */
  walk() {
    marshalNode(this);
    C._ts_tree_cursor_new_wasm(this.tree[0]);
    return new TreeCursor(INTERNAL, this.tree);
  }
  /**
   * Edit this node to keep it in-sync with source code that has been edited.
   *
   * This function is only rarely needed. When you edit a syntax tree with
   * the {@link Tree#edit} method, all of the nodes that you retrieve from
   * the tree afterward will already reflect the edit. You only need to
   * use {@link Node#edit} when you have a specific {@link Node} instance that
   * you want to keep and continue to use after an edit.
   */
  edit(edit) {
    if (this.startIndex >= edit.oldEndIndex) {
      this.startIndex = edit.newEndIndex + (this.startIndex - edit.oldEndIndex);
      let subbedPointRow;
      let subbedPointColumn;
      if (this.startPosition.row > edit.oldEndPosition.row) {
        subbedPointRow = this.startPosition.row - edit.oldEndPosition.row;
        subbedPointColumn = this.startPosition.column;
      } else {
        subbedPointRow = 0;
        subbedPointColumn = this.startPosition.column;
        if (this.startPosition.column >= edit.oldEndPosition.column) {
          subbedPointColumn = this.startPosition.column - edit.oldEndPosition.column;
        }
      }
      if (subbedPointRow > 0) {
        this.startPosition.row += subbedPointRow;
        this.startPosition.column = subbedPointColumn;
      } else {
        this.startPosition.column += subbedPointColumn;
      }
    } else if (this.startIndex > edit.startIndex) {
      this.startIndex = edit.newEndIndex;
      this.startPosition.row = edit.newEndPosition.row;
      this.startPosition.column = edit.newEndPosition.column;
    }
  }
  /** Get the S-expression representation of this node. */
  toString() {
    marshalNode(this);
    const address = C._ts_node_to_string_wasm(this.tree[0]);
    const result = C.AsciiToString(address);
    C._free(address);
    return result;
  }
};
function unmarshalCaptures(query, tree, address, patternIndex, result) {
  for (let i2 = 0, n = result.length; i2 < n; i2++) {
    const captureIndex = C.getValue(address, "i32");
    address += SIZE_OF_INT;
    const node = unmarshalNode(tree, address);
    address += SIZE_OF_NODE;
    result[i2] = { patternIndex, name: query.captureNames[captureIndex], node };
  }
  return address;
}
__name(unmarshalCaptures, "unmarshalCaptures");
function marshalNode(node, index = 0) {
  let address = TRANSFER_BUFFER + index * SIZE_OF_NODE;
  C.setValue(address, node.id, "i32");
  address += SIZE_OF_INT;
  C.setValue(address, node.startIndex, "i32");
  address += SIZE_OF_INT;
  C.setValue(address, node.startPosition.row, "i32");
  address += SIZE_OF_INT;
  C.setValue(address, node.startPosition.column, "i32");
  address += SIZE_OF_INT;
  C.setValue(address, node[0], "i32");
}
__name(marshalNode, "marshalNode");
function unmarshalNode(tree, address = TRANSFER_BUFFER) {
  const id = C.getValue(address, "i32");
  address += SIZE_OF_INT;
  if (id === 0) return null;
  const index = C.getValue(address, "i32");
  address += SIZE_OF_INT;
  const row = C.getValue(address, "i32");
  address += SIZE_OF_INT;
  const column = C.getValue(address, "i32");
  address += SIZE_OF_INT;
  const other = C.getValue(address, "i32");
  const result = new Node(INTERNAL, {
    id,
    tree,
    startIndex: index,
    startPosition: { row, column },
    other
  });
  return result;
}
__name(unmarshalNode, "unmarshalNode");
function marshalTreeCursor(cursor, address = TRANSFER_BUFFER) {
  C.setValue(address + 0 * SIZE_OF_INT, cursor[0], "i32");
  C.setValue(address + 1 * SIZE_OF_INT, cursor[1], "i32");
  C.setValue(address + 2 * SIZE_OF_INT, cursor[2], "i32");
  C.setValue(address + 3 * SIZE_OF_INT, cursor[3], "i32");
}
__name(marshalTreeCursor, "marshalTreeCursor");
function unmarshalTreeCursor(cursor) {
  cursor[0] = C.getValue(TRANSFER_BUFFER + 0 * SIZE_OF_INT, "i32");
  cursor[1] = C.getValue(TRANSFER_BUFFER + 1 * SIZE_OF_INT, "i32");
  cursor[2] = C.getValue(TRANSFER_BUFFER + 2 * SIZE_OF_INT, "i32");
  cursor[3] = C.getValue(TRANSFER_BUFFER + 3 * SIZE_OF_INT, "i32");
}
__name(unmarshalTreeCursor, "unmarshalTreeCursor");
function marshalPoint(address, point) {
  C.setValue(address, point.row, "i32");
  C.setValue(address + SIZE_OF_INT, point.column, "i32");
}
__name(marshalPoint, "marshalPoint");
function unmarshalPoint(address) {
  const result = {
    row: C.getValue(address, "i32") >>> 0,
    column: C.getValue(address + SIZE_OF_INT, "i32") >>> 0
  };
  return result;
}
__name(unmarshalPoint, "unmarshalPoint");
function marshalRange(address, range2) {
  marshalPoint(address, range2.startPosition);
  address += SIZE_OF_POINT;
  marshalPoint(address, range2.endPosition);
  address += SIZE_OF_POINT;
  C.setValue(address, range2.startIndex, "i32");
  address += SIZE_OF_INT;
  C.setValue(address, range2.endIndex, "i32");
  address += SIZE_OF_INT;
}
__name(marshalRange, "marshalRange");
function unmarshalRange(address) {
  const result = {};
  result.startPosition = unmarshalPoint(address);
  address += SIZE_OF_POINT;
  result.endPosition = unmarshalPoint(address);
  address += SIZE_OF_POINT;
  result.startIndex = C.getValue(address, "i32") >>> 0;
  address += SIZE_OF_INT;
  result.endIndex = C.getValue(address, "i32") >>> 0;
  return result;
}
__name(unmarshalRange, "unmarshalRange");
function marshalEdit(edit, address = TRANSFER_BUFFER) {
  marshalPoint(address, edit.startPosition);
  address += SIZE_OF_POINT;
  marshalPoint(address, edit.oldEndPosition);
  address += SIZE_OF_POINT;
  marshalPoint(address, edit.newEndPosition);
  address += SIZE_OF_POINT;
  C.setValue(address, edit.startIndex, "i32");
  address += SIZE_OF_INT;
  C.setValue(address, edit.oldEndIndex, "i32");
  address += SIZE_OF_INT;
  C.setValue(address, edit.newEndIndex, "i32");
  address += SIZE_OF_INT;
}
__name(marshalEdit, "marshalEdit");
function unmarshalLanguageMetadata(address) {
  const major_version = C.getValue(address, "i32");
  const minor_version = C.getValue(address += SIZE_OF_INT, "i32");
  const patch_version = C.getValue(address += SIZE_OF_INT, "i32");
  return { major_version, minor_version, patch_version };
}
__name(unmarshalLanguageMetadata, "unmarshalLanguageMetadata");
var PREDICATE_STEP_TYPE_CAPTURE = 1;
var PREDICATE_STEP_TYPE_STRING = 2;
var QUERY_WORD_REGEX = /[\w-]+/g;
var CaptureQuantifier = {
  Zero: 0,
  ZeroOrOne: 1,
  ZeroOrMore: 2,
  One: 3,
  OneOrMore: 4
};
var isCaptureStep = /* @__PURE__ */ __name((step) => step.type === "capture", "isCaptureStep");
var isStringStep = /* @__PURE__ */ __name((step) => step.type === "string", "isStringStep");
var QueryErrorKind = {
  Syntax: 1,
  NodeName: 2,
  FieldName: 3,
  CaptureName: 4,
  PatternStructure: 5
};
var QueryError = class _QueryError extends Error {
  constructor(kind, info2, index, length) {
    super(_QueryError.formatMessage(kind, info2));
    this.kind = kind;
    this.info = info2;
    this.index = index;
    this.length = length;
    this.name = "QueryError";
  }
  static {
    __name(this, "QueryError");
  }
  /** Formats an error message based on the error kind and info */
  static formatMessage(kind, info2) {
    switch (kind) {
      case QueryErrorKind.NodeName:
        return `Bad node name '${info2.word}'`;
      case QueryErrorKind.FieldName:
        return `Bad field name '${info2.word}'`;
      case QueryErrorKind.CaptureName:
        return `Bad capture name @${info2.word}`;
      case QueryErrorKind.PatternStructure:
        return `Bad pattern structure at offset ${info2.suffix}`;
      case QueryErrorKind.Syntax:
        return `Bad syntax at offset ${info2.suffix}`;
    }
  }
};
function parseAnyPredicate(steps, index, operator, textPredicates) {
  if (steps.length !== 3) {
    throw new Error(
      `Wrong number of arguments to \`#${operator}\` predicate. Expected 2, got ${steps.length - 1}`
    );
  }
  if (!isCaptureStep(steps[1])) {
    throw new Error(
      `First argument of \`#${operator}\` predicate must be a capture. Got "${steps[1].value}"`
    );
  }
  const isPositive = operator === "eq?" || operator === "any-eq?";
  const matchAll = !operator.startsWith("any-");
  if (isCaptureStep(steps[2])) {
    const captureName1 = steps[1].name;
    const captureName2 = steps[2].name;
    textPredicates[index].push((captures) => {
      const nodes1 = [];
      const nodes2 = [];
      for (const c of captures) {
        if (c.name === captureName1) nodes1.push(c.node);
        if (c.name === captureName2) nodes2.push(c.node);
      }
      const compare = /* @__PURE__ */ __name((n1, n2, positive) => {
        return positive ? n1.text === n2.text : n1.text !== n2.text;
      }, "compare");
      return matchAll ? nodes1.every((n1) => nodes2.some((n2) => compare(n1, n2, isPositive))) : nodes1.some((n1) => nodes2.some((n2) => compare(n1, n2, isPositive)));
    });
  } else {
    const captureName = steps[1].name;
    const stringValue = steps[2].value;
    const matches = /* @__PURE__ */ __name((n) => n.text === stringValue, "matches");
    const doesNotMatch = /* @__PURE__ */ __name((n) => n.text !== stringValue, "doesNotMatch");
    textPredicates[index].push((captures) => {
      const nodes = [];
      for (const c of captures) {
        if (c.name === captureName) nodes.push(c.node);
      }
      const test = isPositive ? matches : doesNotMatch;
      return matchAll ? nodes.every(test) : nodes.some(test);
    });
  }
}
__name(parseAnyPredicate, "parseAnyPredicate");
function parseMatchPredicate(steps, index, operator, textPredicates) {
  if (steps.length !== 3) {
    throw new Error(
      `Wrong number of arguments to \`#${operator}\` predicate. Expected 2, got ${steps.length - 1}.`
    );
  }
  if (steps[1].type !== "capture") {
    throw new Error(
      `First argument of \`#${operator}\` predicate must be a capture. Got "${steps[1].value}".`
    );
  }
  if (steps[2].type !== "string") {
    throw new Error(
      `Second argument of \`#${operator}\` predicate must be a string. Got @${steps[2].name}.`
    );
  }
  const isPositive = operator === "match?" || operator === "any-match?";
  const matchAll = !operator.startsWith("any-");
  const captureName = steps[1].name;
  const regex = new RegExp(steps[2].value);
  textPredicates[index].push((captures) => {
    const nodes = [];
    for (const c of captures) {
      if (c.name === captureName) nodes.push(c.node.text);
    }
    const test = /* @__PURE__ */ __name((text, positive) => {
      return positive ? regex.test(text) : !regex.test(text);
    }, "test");
    if (nodes.length === 0) return !isPositive;
    return matchAll ? nodes.every((text) => test(text, isPositive)) : nodes.some((text) => test(text, isPositive));
  });
}
__name(parseMatchPredicate, "parseMatchPredicate");
function parseAnyOfPredicate(steps, index, operator, textPredicates) {
  if (steps.length < 2) {
    throw new Error(
      `Wrong number of arguments to \`#${operator}\` predicate. Expected at least 1. Got ${steps.length - 1}.`
    );
  }
  if (steps[1].type !== "capture") {
    throw new Error(
      `First argument of \`#${operator}\` predicate must be a capture. Got "${steps[1].value}".`
    );
  }
  const isPositive = operator === "any-of?";
  const captureName = steps[1].name;
  const stringSteps = steps.slice(2);
  if (!stringSteps.every(isStringStep)) {
    throw new Error(
      `Arguments to \`#${operator}\` predicate must be strings.".`
    );
  }
  const values = stringSteps.map((s) => s.value);
  textPredicates[index].push((captures) => {
    const nodes = [];
    for (const c of captures) {
      if (c.name === captureName) nodes.push(c.node.text);
    }
    if (nodes.length === 0) return !isPositive;
    return nodes.every((text) => values.includes(text)) === isPositive;
  });
}
__name(parseAnyOfPredicate, "parseAnyOfPredicate");
function parseIsPredicate(steps, index, operator, assertedProperties, refutedProperties) {
  if (steps.length < 2 || steps.length > 3) {
    throw new Error(
      `Wrong number of arguments to \`#${operator}\` predicate. Expected 1 or 2. Got ${steps.length - 1}.`
    );
  }
  if (!steps.every(isStringStep)) {
    throw new Error(
      `Arguments to \`#${operator}\` predicate must be strings.".`
    );
  }
  const properties = operator === "is?" ? assertedProperties : refutedProperties;
  if (!properties[index]) properties[index] = {};
  properties[index][steps[1].value] = steps[2]?.value ?? null;
}
__name(parseIsPredicate, "parseIsPredicate");
function parseSetDirective(steps, index, setProperties) {
  if (steps.length < 2 || steps.length > 3) {
    throw new Error(`Wrong number of arguments to \`#set!\` predicate. Expected 1 or 2. Got ${steps.length - 1}.`);
  }
  if (!steps.every(isStringStep)) {
    throw new Error(`Arguments to \`#set!\` predicate must be strings.".`);
  }
  if (!setProperties[index]) setProperties[index] = {};
  setProperties[index][steps[1].value] = steps[2]?.value ?? null;
}
__name(parseSetDirective, "parseSetDirective");
function parsePattern(index, stepType, stepValueId, captureNames, stringValues, steps, textPredicates, predicates, setProperties, assertedProperties, refutedProperties) {
  if (stepType === PREDICATE_STEP_TYPE_CAPTURE) {
    const name2 = captureNames[stepValueId];
    steps.push({ type: "capture", name: name2 });
  } else if (stepType === PREDICATE_STEP_TYPE_STRING) {
    steps.push({ type: "string", value: stringValues[stepValueId] });
  } else if (steps.length > 0) {
    if (steps[0].type !== "string") {
      throw new Error("Predicates must begin with a literal value");
    }
    const operator = steps[0].value;
    switch (operator) {
      case "any-not-eq?":
      case "not-eq?":
      case "any-eq?":
      case "eq?":
        parseAnyPredicate(steps, index, operator, textPredicates);
        break;
      case "any-not-match?":
      case "not-match?":
      case "any-match?":
      case "match?":
        parseMatchPredicate(steps, index, operator, textPredicates);
        break;
      case "not-any-of?":
      case "any-of?":
        parseAnyOfPredicate(steps, index, operator, textPredicates);
        break;
      case "is?":
      case "is-not?":
        parseIsPredicate(steps, index, operator, assertedProperties, refutedProperties);
        break;
      case "set!":
        parseSetDirective(steps, index, setProperties);
        break;
      default:
        predicates[index].push({ operator, operands: steps.slice(1) });
    }
    steps.length = 0;
  }
}
__name(parsePattern, "parsePattern");
var Query = class {
  static {
    __name(this, "Query");
  }
  /** @internal */
  [0] = 0;
  // Internal handle for WASM
  /** @internal */
  exceededMatchLimit;
  /** @internal */
  textPredicates;
  /** The names of the captures used in the query. */
  captureNames;
  /** The quantifiers of the captures used in the query. */
  captureQuantifiers;
  /**
   * The other user-defined predicates associated with the given index.
   *
   * This includes predicates with operators other than:
   * - `match?`
   * - `eq?` and `not-eq?`
   * - `any-of?` and `not-any-of?`
   * - `is?` and `is-not?`
   * - `set!`
   */
  predicates;
  /** The properties for predicates with the operator `set!`. */
  setProperties;
  /** The properties for predicates with the operator `is?`. */
  assertedProperties;
  /** The properties for predicates with the operator `is-not?`. */
  refutedProperties;
  /** The maximum number of in-progress matches for this cursor. */
  matchLimit;
  /**
   * Create a new query from a string containing one or more S-expression
   * patterns.
   *
   * The query is associated with a particular language, and can only be run
   * on syntax nodes parsed with that language. References to Queries can be
   * shared between multiple threads.
   *
   * @link {@see https://tree-sitter.github.io/tree-sitter/using-parsers/queries}
   */
  constructor(language, source) {
    const sourceLength = C.lengthBytesUTF8(source);
    const sourceAddress = C._malloc(sourceLength + 1);
    C.stringToUTF8(source, sourceAddress, sourceLength + 1);
    const address = C._ts_query_new(
      language[0],
      sourceAddress,
      sourceLength,
      TRANSFER_BUFFER,
      TRANSFER_BUFFER + SIZE_OF_INT
    );
    if (!address) {
      const errorId = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
      const errorByte = C.getValue(TRANSFER_BUFFER, "i32");
      const errorIndex = C.UTF8ToString(sourceAddress, errorByte).length;
      const suffix = source.slice(errorIndex, errorIndex + 100).split("\n")[0];
      const word = suffix.match(QUERY_WORD_REGEX)?.[0] ?? "";
      C._free(sourceAddress);
      switch (errorId) {
        case QueryErrorKind.Syntax:
          throw new QueryError(QueryErrorKind.Syntax, { suffix: `${errorIndex}: '${suffix}'...` }, errorIndex, 0);
        case QueryErrorKind.NodeName:
          throw new QueryError(errorId, { word }, errorIndex, word.length);
        case QueryErrorKind.FieldName:
          throw new QueryError(errorId, { word }, errorIndex, word.length);
        case QueryErrorKind.CaptureName:
          throw new QueryError(errorId, { word }, errorIndex, word.length);
        case QueryErrorKind.PatternStructure:
          throw new QueryError(errorId, { suffix: `${errorIndex}: '${suffix}'...` }, errorIndex, 0);
      }
    }
    const stringCount = C._ts_query_string_count(address);
    const captureCount = C._ts_query_capture_count(address);
    const patternCount = C._ts_query_pattern_count(address);
    const captureNames = new Array(captureCount);
    const captureQuantifiers = new Array(patternCount);
    const stringValues = new Array(stringCount);
    for (let i2 = 0; i2 < captureCount; i2++) {
      const nameAddress = C._ts_query_capture_name_for_id(
        address,
        i2,
        TRANSFER_BUFFER
      );
      const nameLength = C.getValue(TRANSFER_BUFFER, "i32");
      captureNames[i2] = C.UTF8ToString(nameAddress, nameLength);
    }
    for (let i2 = 0; i2 < patternCount; i2++) {
      const captureQuantifiersArray = new Array(captureCount);
      for (let j = 0; j < captureCount; j++) {
        const quantifier = C._ts_query_capture_quantifier_for_id(address, i2, j);
        captureQuantifiersArray[j] = quantifier;
      }
      captureQuantifiers[i2] = captureQuantifiersArray;
    }
    for (let i2 = 0; i2 < stringCount; i2++) {
      const valueAddress = C._ts_query_string_value_for_id(
        address,
        i2,
        TRANSFER_BUFFER
      );
      const nameLength = C.getValue(TRANSFER_BUFFER, "i32");
      stringValues[i2] = C.UTF8ToString(valueAddress, nameLength);
    }
    const setProperties = new Array(patternCount);
    const assertedProperties = new Array(patternCount);
    const refutedProperties = new Array(patternCount);
    const predicates = new Array(patternCount);
    const textPredicates = new Array(patternCount);
    for (let i2 = 0; i2 < patternCount; i2++) {
      const predicatesAddress = C._ts_query_predicates_for_pattern(address, i2, TRANSFER_BUFFER);
      const stepCount = C.getValue(TRANSFER_BUFFER, "i32");
      predicates[i2] = [];
      textPredicates[i2] = [];
      const steps = new Array();
      let stepAddress = predicatesAddress;
      for (let j = 0; j < stepCount; j++) {
        const stepType = C.getValue(stepAddress, "i32");
        stepAddress += SIZE_OF_INT;
        const stepValueId = C.getValue(stepAddress, "i32");
        stepAddress += SIZE_OF_INT;
        parsePattern(
          i2,
          stepType,
          stepValueId,
          captureNames,
          stringValues,
          steps,
          textPredicates,
          predicates,
          setProperties,
          assertedProperties,
          refutedProperties
        );
      }
      Object.freeze(textPredicates[i2]);
      Object.freeze(predicates[i2]);
      Object.freeze(setProperties[i2]);
      Object.freeze(assertedProperties[i2]);
      Object.freeze(refutedProperties[i2]);
    }
    C._free(sourceAddress);
    this[0] = address;
    this.captureNames = captureNames;
    this.captureQuantifiers = captureQuantifiers;
    this.textPredicates = textPredicates;
    this.predicates = predicates;
    this.setProperties = setProperties;
    this.assertedProperties = assertedProperties;
    this.refutedProperties = refutedProperties;
    this.exceededMatchLimit = false;
  }
  /** Delete the query, freeing its resources. */
  delete() {
    C._ts_query_delete(this[0]);
    this[0] = 0;
  }
  /**
   * Iterate over all of the matches in the order that they were found.
   *
   * Each match contains the index of the pattern that matched, and a list of
   * captures. Because multiple patterns can match the same set of nodes,
   * one match may contain captures that appear *before* some of the
   * captures from a previous match.
   *
   * @param {Node} node - The node to execute the query on.
   *
   * @param {QueryOptions} options - Options for query execution.
   */
  matches(node, options = {}) {
    const startPosition = options.startPosition ?? ZERO_POINT;
    const endPosition = options.endPosition ?? ZERO_POINT;
    const startIndex = options.startIndex ?? 0;
    const endIndex2 = options.endIndex ?? 0;
    const matchLimit = options.matchLimit ?? 4294967295;
    const maxStartDepth = options.maxStartDepth ?? 4294967295;
    const timeoutMicros = options.timeoutMicros ?? 0;
    const progressCallback = options.progressCallback;
    if (typeof matchLimit !== "number") {
      throw new Error("Arguments must be numbers");
    }
    this.matchLimit = matchLimit;
    if (endIndex2 !== 0 && startIndex > endIndex2) {
      throw new Error("`startIndex` cannot be greater than `endIndex`");
    }
    if (endPosition !== ZERO_POINT && (startPosition.row > endPosition.row || startPosition.row === endPosition.row && startPosition.column > endPosition.column)) {
      throw new Error("`startPosition` cannot be greater than `endPosition`");
    }
    if (progressCallback) {
      C.currentQueryProgressCallback = progressCallback;
    }
    marshalNode(node);
    C._ts_query_matches_wasm(
      this[0],
      node.tree[0],
      startPosition.row,
      startPosition.column,
      endPosition.row,
      endPosition.column,
      startIndex,
      endIndex2,
      matchLimit,
      maxStartDepth,
      timeoutMicros
    );
    const rawCount = C.getValue(TRANSFER_BUFFER, "i32");
    const startAddress = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
    const didExceedMatchLimit = C.getValue(TRANSFER_BUFFER + 2 * SIZE_OF_INT, "i32");
    const result = new Array(rawCount);
    this.exceededMatchLimit = Boolean(didExceedMatchLimit);
    let filteredCount = 0;
    let address = startAddress;
    for (let i2 = 0; i2 < rawCount; i2++) {
      const patternIndex = C.getValue(address, "i32");
      address += SIZE_OF_INT;
      const captureCount = C.getValue(address, "i32");
      address += SIZE_OF_INT;
      const captures = new Array(captureCount);
      address = unmarshalCaptures(this, node.tree, address, patternIndex, captures);
      if (this.textPredicates[patternIndex].every((p) => p(captures))) {
        result[filteredCount] = { pattern: patternIndex, patternIndex, captures };
        const setProperties = this.setProperties[patternIndex];
        result[filteredCount].setProperties = setProperties;
        const assertedProperties = this.assertedProperties[patternIndex];
        result[filteredCount].assertedProperties = assertedProperties;
        const refutedProperties = this.refutedProperties[patternIndex];
        result[filteredCount].refutedProperties = refutedProperties;
        filteredCount++;
      }
    }
    result.length = filteredCount;
    C._free(startAddress);
    C.currentQueryProgressCallback = null;
    return result;
  }
  /**
   * Iterate over all of the individual captures in the order that they
   * appear.
   *
   * This is useful if you don't care about which pattern matched, and just
   * want a single, ordered sequence of captures.
   *
   * @param {Node} node - The node to execute the query on.
   *
   * @param {QueryOptions} options - Options for query execution.
   */
  captures(node, options = {}) {
    const startPosition = options.startPosition ?? ZERO_POINT;
    const endPosition = options.endPosition ?? ZERO_POINT;
    const startIndex = options.startIndex ?? 0;
    const endIndex2 = options.endIndex ?? 0;
    const matchLimit = options.matchLimit ?? 4294967295;
    const maxStartDepth = options.maxStartDepth ?? 4294967295;
    const timeoutMicros = options.timeoutMicros ?? 0;
    const progressCallback = options.progressCallback;
    if (typeof matchLimit !== "number") {
      throw new Error("Arguments must be numbers");
    }
    this.matchLimit = matchLimit;
    if (endIndex2 !== 0 && startIndex > endIndex2) {
      throw new Error("`startIndex` cannot be greater than `endIndex`");
    }
    if (endPosition !== ZERO_POINT && (startPosition.row > endPosition.row || startPosition.row === endPosition.row && startPosition.column > endPosition.column)) {
      throw new Error("`startPosition` cannot be greater than `endPosition`");
    }
    if (progressCallback) {
      C.currentQueryProgressCallback = progressCallback;
    }
    marshalNode(node);
    C._ts_query_captures_wasm(
      this[0],
      node.tree[0],
      startPosition.row,
      startPosition.column,
      endPosition.row,
      endPosition.column,
      startIndex,
      endIndex2,
      matchLimit,
      maxStartDepth,
      timeoutMicros
    );
    const count = C.getValue(TRANSFER_BUFFER, "i32");
    const startAddress = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
    const didExceedMatchLimit = C.getValue(TRANSFER_BUFFER + 2 * SIZE_OF_INT, "i32");
    const result = new Array();
    this.exceededMatchLimit = Boolean(didExceedMatchLimit);
    const captures = new Array();
    let address = startAddress;
    for (let i2 = 0; i2 < count; i2++) {
      const patternIndex = C.getValue(address, "i32");
      address += SIZE_OF_INT;
      const captureCount = C.getValue(address, "i32");
      address += SIZE_OF_INT;
      const captureIndex = C.getValue(address, "i32");
      address += SIZE_OF_INT;
      captures.length = captureCount;
      address = unmarshalCaptures(this, node.tree, address, patternIndex, captures);
      if (this.textPredicates[patternIndex].every((p) => p(captures))) {
        const capture = captures[captureIndex];
        const setProperties = this.setProperties[patternIndex];
        capture.setProperties = setProperties;
        const assertedProperties = this.assertedProperties[patternIndex];
        capture.assertedProperties = assertedProperties;
        const refutedProperties = this.refutedProperties[patternIndex];
        capture.refutedProperties = refutedProperties;
        result.push(capture);
      }
    }
    C._free(startAddress);
    C.currentQueryProgressCallback = null;
    return result;
  }
  /** Get the predicates for a given pattern. */
  predicatesForPattern(patternIndex) {
    return this.predicates[patternIndex];
  }
  /**
   * Disable a certain capture within a query.
   *
   * This prevents the capture from being returned in matches, and also
   * avoids any resource usage associated with recording the capture.
   */
  disableCapture(captureName) {
    const captureNameLength = C.lengthBytesUTF8(captureName);
    const captureNameAddress = C._malloc(captureNameLength + 1);
    C.stringToUTF8(captureName, captureNameAddress, captureNameLength + 1);
    C._ts_query_disable_capture(this[0], captureNameAddress, captureNameLength);
    C._free(captureNameAddress);
  }
  /**
   * Disable a certain pattern within a query.
   *
   * This prevents the pattern from matching, and also avoids any resource
   * usage associated with the pattern. This throws an error if the pattern
   * index is out of bounds.
   */
  disablePattern(patternIndex) {
    if (patternIndex >= this.predicates.length) {
      throw new Error(
        `Pattern index is ${patternIndex} but the pattern count is ${this.predicates.length}`
      );
    }
    C._ts_query_disable_pattern(this[0], patternIndex);
  }
  /**
   * Check if, on its last execution, this cursor exceeded its maximum number
   * of in-progress matches.
   */
  didExceedMatchLimit() {
    return this.exceededMatchLimit;
  }
  /** Get the byte offset where the given pattern starts in the query's source. */
  startIndexForPattern(patternIndex) {
    if (patternIndex >= this.predicates.length) {
      throw new Error(
        `Pattern index is ${patternIndex} but the pattern count is ${this.predicates.length}`
      );
    }
    return C._ts_query_start_byte_for_pattern(this[0], patternIndex);
  }
  /** Get the byte offset where the given pattern ends in the query's source. */
  endIndexForPattern(patternIndex) {
    if (patternIndex >= this.predicates.length) {
      throw new Error(
        `Pattern index is ${patternIndex} but the pattern count is ${this.predicates.length}`
      );
    }
    return C._ts_query_end_byte_for_pattern(this[0], patternIndex);
  }
  /** Get the number of patterns in the query. */
  patternCount() {
    return C._ts_query_pattern_count(this[0]);
  }
  /** Get the index for a given capture name. */
  captureIndexForName(captureName) {
    return this.captureNames.indexOf(captureName);
  }
  /** Check if a given pattern within a query has a single root node. */
  isPatternRooted(patternIndex) {
    return C._ts_query_is_pattern_rooted(this[0], patternIndex) === 1;
  }
  /** Check if a given pattern within a query has a single root node. */
  isPatternNonLocal(patternIndex) {
    return C._ts_query_is_pattern_non_local(this[0], patternIndex) === 1;
  }
  /**
   * Check if a given step in a query is 'definite'.
   *
   * A query step is 'definite' if its parent pattern will be guaranteed to
   * match successfully once it reaches the step.
   */
  isPatternGuaranteedAtStep(byteIndex) {
    return C._ts_query_is_pattern_guaranteed_at_step(this[0], byteIndex) === 1;
  }
};
var LANGUAGE_FUNCTION_REGEX = /^tree_sitter_\w+$/;
var Language = class _Language {
  static {
    __name(this, "Language");
  }
  /** @internal */
  [0] = 0;
  // Internal handle for WASM
  /**
   * A list of all node types in the language. The index of each type in this
   * array is its node type id.
   */
  types;
  /**
   * A list of all field names in the language. The index of each field name in
   * this array is its field id.
   */
  fields;
  /** @internal */
  constructor(internal, address) {
    assertInternal(internal);
    this[0] = address;
    this.types = new Array(C._ts_language_symbol_count(this[0]));
    for (let i2 = 0, n = this.types.length; i2 < n; i2++) {
      if (C._ts_language_symbol_type(this[0], i2) < 2) {
        this.types[i2] = C.UTF8ToString(C._ts_language_symbol_name(this[0], i2));
      }
    }
    this.fields = new Array(C._ts_language_field_count(this[0]) + 1);
    for (let i2 = 0, n = this.fields.length; i2 < n; i2++) {
      const fieldName = C._ts_language_field_name_for_id(this[0], i2);
      if (fieldName !== 0) {
        this.fields[i2] = C.UTF8ToString(fieldName);
      } else {
        this.fields[i2] = null;
      }
    }
  }
  /**
   * Gets the name of the language.
   */
  get name() {
    const ptr = C._ts_language_name(this[0]);
    if (ptr === 0) return null;
    return C.UTF8ToString(ptr);
  }
  /**
   * @deprecated since version 0.25.0, use {@link Language#abiVersion} instead
   * Gets the version of the language.
   */
  get version() {
    return C._ts_language_version(this[0]);
  }
  /**
   * Gets the ABI version of the language.
   */
  get abiVersion() {
    return C._ts_language_abi_version(this[0]);
  }
  /**
  * Get the metadata for this language. This information is generated by the
  * CLI, and relies on the language author providing the correct metadata in
  * the language's `tree-sitter.json` file.
  */
  get metadata() {
    C._ts_language_metadata(this[0]);
    const length = C.getValue(TRANSFER_BUFFER, "i32");
    const address = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
    if (length === 0) return null;
    return unmarshalLanguageMetadata(address);
  }
  /**
   * Gets the number of fields in the language.
   */
  get fieldCount() {
    return this.fields.length - 1;
  }
  /**
   * Gets the number of states in the language.
   */
  get stateCount() {
    return C._ts_language_state_count(this[0]);
  }
  /**
   * Get the field id for a field name.
   */
  fieldIdForName(fieldName) {
    const result = this.fields.indexOf(fieldName);
    return result !== -1 ? result : null;
  }
  /**
   * Get the field name for a field id.
   */
  fieldNameForId(fieldId) {
    return this.fields[fieldId] ?? null;
  }
  /**
   * Get the node type id for a node type name.
   */
  idForNodeType(type, named) {
    const typeLength = C.lengthBytesUTF8(type);
    const typeAddress = C._malloc(typeLength + 1);
    C.stringToUTF8(type, typeAddress, typeLength + 1);
    const result = C._ts_language_symbol_for_name(this[0], typeAddress, typeLength, named ? 1 : 0);
    C._free(typeAddress);
    return result || null;
  }
  /**
   * Gets the number of node types in the language.
   */
  get nodeTypeCount() {
    return C._ts_language_symbol_count(this[0]);
  }
  /**
   * Get the node type name for a node type id.
   */
  nodeTypeForId(typeId) {
    const name2 = C._ts_language_symbol_name(this[0], typeId);
    return name2 ? C.UTF8ToString(name2) : null;
  }
  /**
   * Check if a node type is named.
   *
   * @see {@link https://tree-sitter.github.io/tree-sitter/using-parsers/2-basic-parsing.html#named-vs-anonymous-nodes}
   */
  nodeTypeIsNamed(typeId) {
    return C._ts_language_type_is_named_wasm(this[0], typeId) ? true : false;
  }
  /**
   * Check if a node type is visible.
   */
  nodeTypeIsVisible(typeId) {
    return C._ts_language_type_is_visible_wasm(this[0], typeId) ? true : false;
  }
  /**
   * Get the supertypes ids of this language.
   *
   * @see {@link https://tree-sitter.github.io/tree-sitter/using-parsers/6-static-node-types.html?highlight=supertype#supertype-nodes}
   */
  get supertypes() {
    C._ts_language_supertypes_wasm(this[0]);
    const count = C.getValue(TRANSFER_BUFFER, "i32");
    const buffer = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
    const result = new Array(count);
    if (count > 0) {
      let address = buffer;
      for (let i2 = 0; i2 < count; i2++) {
        result[i2] = C.getValue(address, "i16");
        address += SIZE_OF_SHORT;
      }
    }
    return result;
  }
  /**
   * Get the subtype ids for a given supertype node id.
   */
  subtypes(supertype) {
    C._ts_language_subtypes_wasm(this[0], supertype);
    const count = C.getValue(TRANSFER_BUFFER, "i32");
    const buffer = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
    const result = new Array(count);
    if (count > 0) {
      let address = buffer;
      for (let i2 = 0; i2 < count; i2++) {
        result[i2] = C.getValue(address, "i16");
        address += SIZE_OF_SHORT;
      }
    }
    return result;
  }
  /**
   * Get the next state id for a given state id and node type id.
   */
  nextState(stateId, typeId) {
    return C._ts_language_next_state(this[0], stateId, typeId);
  }
  /**
   * Create a new lookahead iterator for this language and parse state.
   *
   * This returns `null` if state is invalid for this language.
   *
   * Iterating {@link LookaheadIterator} will yield valid symbols in the given
   * parse state. Newly created lookahead iterators will return the `ERROR`
   * symbol from {@link LookaheadIterator#currentType}.
   *
   * Lookahead iterators can be useful for generating suggestions and improving
   * syntax error diagnostics. To get symbols valid in an `ERROR` node, use the
   * lookahead iterator on its first leaf node state. For `MISSING` nodes, a
   * lookahead iterator created on the previous non-extra leaf node may be
   * appropriate.
   */
  lookaheadIterator(stateId) {
    const address = C._ts_lookahead_iterator_new(this[0], stateId);
    if (address) return new LookaheadIterator(INTERNAL, address, this);
    return null;
  }
  /**
   * @deprecated since version 0.25.0, call `new` on a {@link Query} instead
   *
   * Create a new query from a string containing one or more S-expression
   * patterns.
   *
   * The query is associated with a particular language, and can only be run
   * on syntax nodes parsed with that language. References to Queries can be
   * shared between multiple threads.
   *
   * @link {@see https://tree-sitter.github.io/tree-sitter/using-parsers/queries}
   */
  query(source) {
    console.warn("Language.query is deprecated. Use new Query(language, source) instead.");
    return new Query(this, source);
  }
  /**
   * Load a language from a WebAssembly module.
   * The module can be provided as a path to a file or as a buffer.
   */
  static async load(input) {
    let bytes;
    if (input instanceof Uint8Array) {
      bytes = Promise.resolve(input);
    } else {
      if (globalThis.process?.versions.node) {
        const fs22 = await import("fs/promises");
        bytes = fs22.readFile(input);
      } else {
        bytes = fetch(input).then((response) => response.arrayBuffer().then((buffer) => {
          if (response.ok) {
            return new Uint8Array(buffer);
          } else {
            const body2 = new TextDecoder("utf-8").decode(buffer);
            throw new Error(`Language.load failed with status ${response.status}.

${body2}`);
          }
        }));
      }
    }
    const mod = await C.loadWebAssemblyModule(await bytes, { loadAsync: true });
    const symbolNames = Object.keys(mod);
    const functionName = symbolNames.find((key) => LANGUAGE_FUNCTION_REGEX.test(key) && !key.includes("external_scanner_"));
    if (!functionName) {
      console.log(`Couldn't find language function in WASM file. Symbols:
${JSON.stringify(symbolNames, null, 2)}`);
      throw new Error("Language.load failed: no language function found in WASM file");
    }
    const languageAddress = mod[functionName]();
    return new _Language(INTERNAL, languageAddress);
  }
};
var Module2 = (() => {
  var _scriptName = import.meta.url;
  return async function(moduleArg = {}) {
    var moduleRtn;
    var Module = moduleArg;
    var readyPromiseResolve, readyPromiseReject;
    var readyPromise = new Promise((resolve2, reject) => {
      readyPromiseResolve = resolve2;
      readyPromiseReject = reject;
    });
    var ENVIRONMENT_IS_WEB = typeof window == "object";
    var ENVIRONMENT_IS_WORKER = typeof WorkerGlobalScope != "undefined";
    var ENVIRONMENT_IS_NODE = typeof process == "object" && typeof process.versions == "object" && typeof process.versions.node == "string" && process.type != "renderer";
    var ENVIRONMENT_IS_SHELL = !ENVIRONMENT_IS_WEB && !ENVIRONMENT_IS_NODE && !ENVIRONMENT_IS_WORKER;
    if (ENVIRONMENT_IS_NODE) {
      const { createRequire: createRequire2 } = await import("module");
      var require = createRequire2(import.meta.url);
    }
    Module.currentQueryProgressCallback = null;
    Module.currentProgressCallback = null;
    Module.currentLogCallback = null;
    Module.currentParseCallback = null;
    var moduleOverrides = Object.assign({}, Module);
    var arguments_ = [];
    var thisProgram = "./this.program";
    var quit_ = /* @__PURE__ */ __name((status, toThrow) => {
      throw toThrow;
    }, "quit_");
    var scriptDirectory = "";
    function locateFile(path11) {
      if (Module["locateFile"]) {
        return Module["locateFile"](path11, scriptDirectory);
      }
      return scriptDirectory + path11;
    }
    __name(locateFile, "locateFile");
    var readAsync, readBinary;
    if (ENVIRONMENT_IS_NODE) {
      var fs = require("fs");
      var nodePath = require("path");
      if (!import.meta.url.startsWith("data:")) {
        scriptDirectory = nodePath.dirname(require("url").fileURLToPath(import.meta.url)) + "/";
      }
      readBinary = /* @__PURE__ */ __name((filename) => {
        filename = isFileURI(filename) ? new URL(filename) : filename;
        var ret = fs.readFileSync(filename);
        return ret;
      }, "readBinary");
      readAsync = /* @__PURE__ */ __name(async (filename, binary2 = true) => {
        filename = isFileURI(filename) ? new URL(filename) : filename;
        var ret = fs.readFileSync(filename, binary2 ? void 0 : "utf8");
        return ret;
      }, "readAsync");
      if (!Module["thisProgram"] && process.argv.length > 1) {
        thisProgram = process.argv[1].replace(/\\/g, "/");
      }
      arguments_ = process.argv.slice(2);
      quit_ = /* @__PURE__ */ __name((status, toThrow) => {
        process.exitCode = status;
        throw toThrow;
      }, "quit_");
    } else if (ENVIRONMENT_IS_WEB || ENVIRONMENT_IS_WORKER) {
      if (ENVIRONMENT_IS_WORKER) {
        scriptDirectory = self.location.href;
      } else if (typeof document != "undefined" && document.currentScript) {
        scriptDirectory = document.currentScript.src;
      }
      if (_scriptName) {
        scriptDirectory = _scriptName;
      }
      if (scriptDirectory.startsWith("blob:")) {
        scriptDirectory = "";
      } else {
        scriptDirectory = scriptDirectory.slice(0, scriptDirectory.replace(/[?#].*/, "").lastIndexOf("/") + 1);
      }
      {
        if (ENVIRONMENT_IS_WORKER) {
          readBinary = /* @__PURE__ */ __name((url) => {
            var xhr = new XMLHttpRequest();
            xhr.open("GET", url, false);
            xhr.responseType = "arraybuffer";
            xhr.send(null);
            return new Uint8Array(
              /** @type{!ArrayBuffer} */
              xhr.response
            );
          }, "readBinary");
        }
        readAsync = /* @__PURE__ */ __name(async (url) => {
          if (isFileURI(url)) {
            return new Promise((resolve2, reject) => {
              var xhr = new XMLHttpRequest();
              xhr.open("GET", url, true);
              xhr.responseType = "arraybuffer";
              xhr.onload = () => {
                if (xhr.status == 200 || xhr.status == 0 && xhr.response) {
                  resolve2(xhr.response);
                  return;
                }
                reject(xhr.status);
              };
              xhr.onerror = reject;
              xhr.send(null);
            });
          }
          var response = await fetch(url, {
            credentials: "same-origin"
          });
          if (response.ok) {
            return response.arrayBuffer();
          }
          throw new Error(response.status + " : " + response.url);
        }, "readAsync");
      }
    } else {
    }
    var out = Module["print"] || console.log.bind(console);
    var err = Module["printErr"] || console.error.bind(console);
    Object.assign(Module, moduleOverrides);
    moduleOverrides = null;
    if (Module["arguments"]) arguments_ = Module["arguments"];
    if (Module["thisProgram"]) thisProgram = Module["thisProgram"];
    var dynamicLibraries = Module["dynamicLibraries"] || [];
    var wasmBinary = Module["wasmBinary"];
    var wasmMemory;
    var ABORT = false;
    var EXITSTATUS;
    function assert(condition, text) {
      if (!condition) {
        abort(text);
      }
    }
    __name(assert, "assert");
    var HEAP, HEAP8, HEAPU8, HEAP16, HEAPU16, HEAP32, HEAPU32, HEAPF32, HEAP64, HEAPU64, HEAPF64;
    var HEAP_DATA_VIEW;
    var runtimeInitialized = false;
    var isFileURI = /* @__PURE__ */ __name((filename) => filename.startsWith("file://"), "isFileURI");
    function updateMemoryViews() {
      var b = wasmMemory.buffer;
      Module["HEAP_DATA_VIEW"] = HEAP_DATA_VIEW = new DataView(b);
      Module["HEAP8"] = HEAP8 = new Int8Array(b);
      Module["HEAP16"] = HEAP16 = new Int16Array(b);
      Module["HEAPU8"] = HEAPU8 = new Uint8Array(b);
      Module["HEAPU16"] = HEAPU16 = new Uint16Array(b);
      Module["HEAP32"] = HEAP32 = new Int32Array(b);
      Module["HEAPU32"] = HEAPU32 = new Uint32Array(b);
      Module["HEAPF32"] = HEAPF32 = new Float32Array(b);
      Module["HEAPF64"] = HEAPF64 = new Float64Array(b);
      Module["HEAP64"] = HEAP64 = new BigInt64Array(b);
      Module["HEAPU64"] = HEAPU64 = new BigUint64Array(b);
    }
    __name(updateMemoryViews, "updateMemoryViews");
    if (Module["wasmMemory"]) {
      wasmMemory = Module["wasmMemory"];
    } else {
      var INITIAL_MEMORY = Module["INITIAL_MEMORY"] || 33554432;
      wasmMemory = new WebAssembly.Memory({
        "initial": INITIAL_MEMORY / 65536,
        // In theory we should not need to emit the maximum if we want "unlimited"
        // or 4GB of memory, but VMs error on that atm, see
        // https://github.com/emscripten-core/emscripten/issues/14130
        // And in the pthreads case we definitely need to emit a maximum. So
        // always emit one.
        "maximum": 32768
      });
    }
    updateMemoryViews();
    var __RELOC_FUNCS__ = [];
    function preRun() {
      if (Module["preRun"]) {
        if (typeof Module["preRun"] == "function") Module["preRun"] = [Module["preRun"]];
        while (Module["preRun"].length) {
          addOnPreRun(Module["preRun"].shift());
        }
      }
      callRuntimeCallbacks(onPreRuns);
    }
    __name(preRun, "preRun");
    function initRuntime() {
      runtimeInitialized = true;
      callRuntimeCallbacks(__RELOC_FUNCS__);
      wasmExports["__wasm_call_ctors"]();
      callRuntimeCallbacks(onPostCtors);
    }
    __name(initRuntime, "initRuntime");
    function preMain() {
    }
    __name(preMain, "preMain");
    function postRun() {
      if (Module["postRun"]) {
        if (typeof Module["postRun"] == "function") Module["postRun"] = [Module["postRun"]];
        while (Module["postRun"].length) {
          addOnPostRun(Module["postRun"].shift());
        }
      }
      callRuntimeCallbacks(onPostRuns);
    }
    __name(postRun, "postRun");
    var runDependencies = 0;
    var dependenciesFulfilled = null;
    function getUniqueRunDependency(id) {
      return id;
    }
    __name(getUniqueRunDependency, "getUniqueRunDependency");
    function addRunDependency(id) {
      runDependencies++;
      Module["monitorRunDependencies"]?.(runDependencies);
    }
    __name(addRunDependency, "addRunDependency");
    function removeRunDependency(id) {
      runDependencies--;
      Module["monitorRunDependencies"]?.(runDependencies);
      if (runDependencies == 0) {
        if (dependenciesFulfilled) {
          var callback = dependenciesFulfilled;
          dependenciesFulfilled = null;
          callback();
        }
      }
    }
    __name(removeRunDependency, "removeRunDependency");
    function abort(what) {
      Module["onAbort"]?.(what);
      what = "Aborted(" + what + ")";
      err(what);
      ABORT = true;
      what += ". Build with -sASSERTIONS for more info.";
      var e = new WebAssembly.RuntimeError(what);
      readyPromiseReject(e);
      throw e;
    }
    __name(abort, "abort");
    var wasmBinaryFile;
    function findWasmBinary() {
      if (Module["locateFile"]) {
        return locateFile("tree-sitter.wasm");
      }
      return new URL("tree-sitter.wasm", import.meta.url).href;
    }
    __name(findWasmBinary, "findWasmBinary");
    function getBinarySync(file) {
      if (file == wasmBinaryFile && wasmBinary) {
        return new Uint8Array(wasmBinary);
      }
      if (readBinary) {
        return readBinary(file);
      }
      throw "both async and sync fetching of the wasm failed";
    }
    __name(getBinarySync, "getBinarySync");
    async function getWasmBinary(binaryFile) {
      if (!wasmBinary) {
        try {
          var response = await readAsync(binaryFile);
          return new Uint8Array(response);
        } catch {
        }
      }
      return getBinarySync(binaryFile);
    }
    __name(getWasmBinary, "getWasmBinary");
    async function instantiateArrayBuffer(binaryFile, imports) {
      try {
        var binary2 = await getWasmBinary(binaryFile);
        var instance2 = await WebAssembly.instantiate(binary2, imports);
        return instance2;
      } catch (reason) {
        err(`failed to asynchronously prepare wasm: ${reason}`);
        abort(reason);
      }
    }
    __name(instantiateArrayBuffer, "instantiateArrayBuffer");
    async function instantiateAsync(binary2, binaryFile, imports) {
      if (!binary2 && typeof WebAssembly.instantiateStreaming == "function" && !isFileURI(binaryFile) && !ENVIRONMENT_IS_NODE) {
        try {
          var response = fetch(binaryFile, {
            credentials: "same-origin"
          });
          var instantiationResult = await WebAssembly.instantiateStreaming(response, imports);
          return instantiationResult;
        } catch (reason) {
          err(`wasm streaming compile failed: ${reason}`);
          err("falling back to ArrayBuffer instantiation");
        }
      }
      return instantiateArrayBuffer(binaryFile, imports);
    }
    __name(instantiateAsync, "instantiateAsync");
    function getWasmImports() {
      return {
        "env": wasmImports,
        "wasi_snapshot_preview1": wasmImports,
        "GOT.mem": new Proxy(wasmImports, GOTHandler),
        "GOT.func": new Proxy(wasmImports, GOTHandler)
      };
    }
    __name(getWasmImports, "getWasmImports");
    async function createWasm() {
      function receiveInstance(instance2, module2) {
        wasmExports = instance2.exports;
        wasmExports = relocateExports(wasmExports, 1024);
        var metadata2 = getDylinkMetadata(module2);
        if (metadata2.neededDynlibs) {
          dynamicLibraries = metadata2.neededDynlibs.concat(dynamicLibraries);
        }
        mergeLibSymbols(wasmExports, "main");
        LDSO.init();
        loadDylibs();
        __RELOC_FUNCS__.push(wasmExports["__wasm_apply_data_relocs"]);
        removeRunDependency("wasm-instantiate");
        return wasmExports;
      }
      __name(receiveInstance, "receiveInstance");
      addRunDependency("wasm-instantiate");
      function receiveInstantiationResult(result2) {
        return receiveInstance(result2["instance"], result2["module"]);
      }
      __name(receiveInstantiationResult, "receiveInstantiationResult");
      var info2 = getWasmImports();
      if (Module["instantiateWasm"]) {
        return new Promise((resolve2, reject) => {
          Module["instantiateWasm"](info2, (mod, inst) => {
            receiveInstance(mod, inst);
            resolve2(mod.exports);
          });
        });
      }
      wasmBinaryFile ??= findWasmBinary();
      try {
        var result = await instantiateAsync(wasmBinary, wasmBinaryFile, info2);
        var exports = receiveInstantiationResult(result);
        return exports;
      } catch (e) {
        readyPromiseReject(e);
        return Promise.reject(e);
      }
    }
    __name(createWasm, "createWasm");
    var ASM_CONSTS = {};
    class ExitStatus {
      static {
        __name(this, "ExitStatus");
      }
      name = "ExitStatus";
      constructor(status) {
        this.message = `Program terminated with exit(${status})`;
        this.status = status;
      }
    }
    var GOT = {};
    var currentModuleWeakSymbols = /* @__PURE__ */ new Set([]);
    var GOTHandler = {
      get(obj, symName) {
        var rtn = GOT[symName];
        if (!rtn) {
          rtn = GOT[symName] = new WebAssembly.Global({
            "value": "i32",
            "mutable": true
          });
        }
        if (!currentModuleWeakSymbols.has(symName)) {
          rtn.required = true;
        }
        return rtn;
      }
    };
    var LE_HEAP_LOAD_F32 = /* @__PURE__ */ __name((byteOffset) => HEAP_DATA_VIEW.getFloat32(byteOffset, true), "LE_HEAP_LOAD_F32");
    var LE_HEAP_LOAD_F64 = /* @__PURE__ */ __name((byteOffset) => HEAP_DATA_VIEW.getFloat64(byteOffset, true), "LE_HEAP_LOAD_F64");
    var LE_HEAP_LOAD_I16 = /* @__PURE__ */ __name((byteOffset) => HEAP_DATA_VIEW.getInt16(byteOffset, true), "LE_HEAP_LOAD_I16");
    var LE_HEAP_LOAD_I32 = /* @__PURE__ */ __name((byteOffset) => HEAP_DATA_VIEW.getInt32(byteOffset, true), "LE_HEAP_LOAD_I32");
    var LE_HEAP_LOAD_U16 = /* @__PURE__ */ __name((byteOffset) => HEAP_DATA_VIEW.getUint16(byteOffset, true), "LE_HEAP_LOAD_U16");
    var LE_HEAP_LOAD_U32 = /* @__PURE__ */ __name((byteOffset) => HEAP_DATA_VIEW.getUint32(byteOffset, true), "LE_HEAP_LOAD_U32");
    var LE_HEAP_STORE_F32 = /* @__PURE__ */ __name((byteOffset, value) => HEAP_DATA_VIEW.setFloat32(byteOffset, value, true), "LE_HEAP_STORE_F32");
    var LE_HEAP_STORE_F64 = /* @__PURE__ */ __name((byteOffset, value) => HEAP_DATA_VIEW.setFloat64(byteOffset, value, true), "LE_HEAP_STORE_F64");
    var LE_HEAP_STORE_I16 = /* @__PURE__ */ __name((byteOffset, value) => HEAP_DATA_VIEW.setInt16(byteOffset, value, true), "LE_HEAP_STORE_I16");
    var LE_HEAP_STORE_I32 = /* @__PURE__ */ __name((byteOffset, value) => HEAP_DATA_VIEW.setInt32(byteOffset, value, true), "LE_HEAP_STORE_I32");
    var LE_HEAP_STORE_U16 = /* @__PURE__ */ __name((byteOffset, value) => HEAP_DATA_VIEW.setUint16(byteOffset, value, true), "LE_HEAP_STORE_U16");
    var LE_HEAP_STORE_U32 = /* @__PURE__ */ __name((byteOffset, value) => HEAP_DATA_VIEW.setUint32(byteOffset, value, true), "LE_HEAP_STORE_U32");
    var callRuntimeCallbacks = /* @__PURE__ */ __name((callbacks) => {
      while (callbacks.length > 0) {
        callbacks.shift()(Module);
      }
    }, "callRuntimeCallbacks");
    var onPostRuns = [];
    var addOnPostRun = /* @__PURE__ */ __name((cb) => onPostRuns.unshift(cb), "addOnPostRun");
    var onPreRuns = [];
    var addOnPreRun = /* @__PURE__ */ __name((cb) => onPreRuns.unshift(cb), "addOnPreRun");
    var UTF8Decoder = typeof TextDecoder != "undefined" ? new TextDecoder() : void 0;
    var UTF8ArrayToString = /* @__PURE__ */ __name((heapOrArray, idx = 0, maxBytesToRead = NaN) => {
      var endIdx = idx + maxBytesToRead;
      var endPtr = idx;
      while (heapOrArray[endPtr] && !(endPtr >= endIdx)) ++endPtr;
      if (endPtr - idx > 16 && heapOrArray.buffer && UTF8Decoder) {
        return UTF8Decoder.decode(heapOrArray.subarray(idx, endPtr));
      }
      var str = "";
      while (idx < endPtr) {
        var u0 = heapOrArray[idx++];
        if (!(u0 & 128)) {
          str += String.fromCharCode(u0);
          continue;
        }
        var u1 = heapOrArray[idx++] & 63;
        if ((u0 & 224) == 192) {
          str += String.fromCharCode((u0 & 31) << 6 | u1);
          continue;
        }
        var u2 = heapOrArray[idx++] & 63;
        if ((u0 & 240) == 224) {
          u0 = (u0 & 15) << 12 | u1 << 6 | u2;
        } else {
          u0 = (u0 & 7) << 18 | u1 << 12 | u2 << 6 | heapOrArray[idx++] & 63;
        }
        if (u0 < 65536) {
          str += String.fromCharCode(u0);
        } else {
          var ch = u0 - 65536;
          str += String.fromCharCode(55296 | ch >> 10, 56320 | ch & 1023);
        }
      }
      return str;
    }, "UTF8ArrayToString");
    var getDylinkMetadata = /* @__PURE__ */ __name((binary2) => {
      var offset = 0;
      var end = 0;
      function getU8() {
        return binary2[offset++];
      }
      __name(getU8, "getU8");
      function getLEB() {
        var ret = 0;
        var mul = 1;
        while (1) {
          var byte = binary2[offset++];
          ret += (byte & 127) * mul;
          mul *= 128;
          if (!(byte & 128)) break;
        }
        return ret;
      }
      __name(getLEB, "getLEB");
      function getString() {
        var len = getLEB();
        offset += len;
        return UTF8ArrayToString(binary2, offset - len, len);
      }
      __name(getString, "getString");
      function failIf(condition, message) {
        if (condition) throw new Error(message);
      }
      __name(failIf, "failIf");
      var name2 = "dylink.0";
      if (binary2 instanceof WebAssembly.Module) {
        var dylinkSection = WebAssembly.Module.customSections(binary2, name2);
        if (dylinkSection.length === 0) {
          name2 = "dylink";
          dylinkSection = WebAssembly.Module.customSections(binary2, name2);
        }
        failIf(dylinkSection.length === 0, "need dylink section");
        binary2 = new Uint8Array(dylinkSection[0]);
        end = binary2.length;
      } else {
        var int32View = new Uint32Array(new Uint8Array(binary2.subarray(0, 24)).buffer);
        var magicNumberFound = int32View[0] == 1836278016 || int32View[0] == 6386541;
        failIf(!magicNumberFound, "need to see wasm magic number");
        failIf(binary2[8] !== 0, "need the dylink section to be first");
        offset = 9;
        var section_size = getLEB();
        end = offset + section_size;
        name2 = getString();
      }
      var customSection = {
        neededDynlibs: [],
        tlsExports: /* @__PURE__ */ new Set(),
        weakImports: /* @__PURE__ */ new Set()
      };
      if (name2 == "dylink") {
        customSection.memorySize = getLEB();
        customSection.memoryAlign = getLEB();
        customSection.tableSize = getLEB();
        customSection.tableAlign = getLEB();
        var neededDynlibsCount = getLEB();
        for (var i2 = 0; i2 < neededDynlibsCount; ++i2) {
          var libname = getString();
          customSection.neededDynlibs.push(libname);
        }
      } else {
        failIf(name2 !== "dylink.0");
        var WASM_DYLINK_MEM_INFO = 1;
        var WASM_DYLINK_NEEDED = 2;
        var WASM_DYLINK_EXPORT_INFO = 3;
        var WASM_DYLINK_IMPORT_INFO = 4;
        var WASM_SYMBOL_TLS = 256;
        var WASM_SYMBOL_BINDING_MASK = 3;
        var WASM_SYMBOL_BINDING_WEAK = 1;
        while (offset < end) {
          var subsectionType = getU8();
          var subsectionSize = getLEB();
          if (subsectionType === WASM_DYLINK_MEM_INFO) {
            customSection.memorySize = getLEB();
            customSection.memoryAlign = getLEB();
            customSection.tableSize = getLEB();
            customSection.tableAlign = getLEB();
          } else if (subsectionType === WASM_DYLINK_NEEDED) {
            var neededDynlibsCount = getLEB();
            for (var i2 = 0; i2 < neededDynlibsCount; ++i2) {
              libname = getString();
              customSection.neededDynlibs.push(libname);
            }
          } else if (subsectionType === WASM_DYLINK_EXPORT_INFO) {
            var count = getLEB();
            while (count--) {
              var symname = getString();
              var flags2 = getLEB();
              if (flags2 & WASM_SYMBOL_TLS) {
                customSection.tlsExports.add(symname);
              }
            }
          } else if (subsectionType === WASM_DYLINK_IMPORT_INFO) {
            var count = getLEB();
            while (count--) {
              var modname = getString();
              var symname = getString();
              var flags2 = getLEB();
              if ((flags2 & WASM_SYMBOL_BINDING_MASK) == WASM_SYMBOL_BINDING_WEAK) {
                customSection.weakImports.add(symname);
              }
            }
          } else {
            offset += subsectionSize;
          }
        }
      }
      return customSection;
    }, "getDylinkMetadata");
    function getValue(ptr, type = "i8") {
      if (type.endsWith("*")) type = "*";
      switch (type) {
        case "i1":
          return HEAP8[ptr];
        case "i8":
          return HEAP8[ptr];
        case "i16":
          return LE_HEAP_LOAD_I16((ptr >> 1) * 2);
        case "i32":
          return LE_HEAP_LOAD_I32((ptr >> 2) * 4);
        case "i64":
          return HEAP64[ptr >> 3];
        case "float":
          return LE_HEAP_LOAD_F32((ptr >> 2) * 4);
        case "double":
          return LE_HEAP_LOAD_F64((ptr >> 3) * 8);
        case "*":
          return LE_HEAP_LOAD_U32((ptr >> 2) * 4);
        default:
          abort(`invalid type for getValue: ${type}`);
      }
    }
    __name(getValue, "getValue");
    var newDSO = /* @__PURE__ */ __name((name2, handle2, syms) => {
      var dso = {
        refcount: Infinity,
        name: name2,
        exports: syms,
        global: true
      };
      LDSO.loadedLibsByName[name2] = dso;
      if (handle2 != void 0) {
        LDSO.loadedLibsByHandle[handle2] = dso;
      }
      return dso;
    }, "newDSO");
    var LDSO = {
      loadedLibsByName: {},
      loadedLibsByHandle: {},
      init() {
        newDSO("__main__", 0, wasmImports);
      }
    };
    var ___heap_base = 78224;
    var alignMemory = /* @__PURE__ */ __name((size, alignment) => Math.ceil(size / alignment) * alignment, "alignMemory");
    var getMemory = /* @__PURE__ */ __name((size) => {
      if (runtimeInitialized) {
        return _calloc(size, 1);
      }
      var ret = ___heap_base;
      var end = ret + alignMemory(size, 16);
      ___heap_base = end;
      GOT["__heap_base"].value = end;
      return ret;
    }, "getMemory");
    var isInternalSym = /* @__PURE__ */ __name((symName) => ["__cpp_exception", "__c_longjmp", "__wasm_apply_data_relocs", "__dso_handle", "__tls_size", "__tls_align", "__set_stack_limits", "_emscripten_tls_init", "__wasm_init_tls", "__wasm_call_ctors", "__start_em_asm", "__stop_em_asm", "__start_em_js", "__stop_em_js"].includes(symName) || symName.startsWith("__em_js__"), "isInternalSym");
    var uleb128Encode = /* @__PURE__ */ __name((n, target) => {
      if (n < 128) {
        target.push(n);
      } else {
        target.push(n % 128 | 128, n >> 7);
      }
    }, "uleb128Encode");
    var sigToWasmTypes = /* @__PURE__ */ __name((sig) => {
      var typeNames = {
        "i": "i32",
        "j": "i64",
        "f": "f32",
        "d": "f64",
        "e": "externref",
        "p": "i32"
      };
      var type = {
        parameters: [],
        results: sig[0] == "v" ? [] : [typeNames[sig[0]]]
      };
      for (var i2 = 1; i2 < sig.length; ++i2) {
        type.parameters.push(typeNames[sig[i2]]);
      }
      return type;
    }, "sigToWasmTypes");
    var generateFuncType = /* @__PURE__ */ __name((sig, target) => {
      var sigRet = sig.slice(0, 1);
      var sigParam = sig.slice(1);
      var typeCodes = {
        "i": 127,
        // i32
        "p": 127,
        // i32
        "j": 126,
        // i64
        "f": 125,
        // f32
        "d": 124,
        // f64
        "e": 111
      };
      target.push(96);
      uleb128Encode(sigParam.length, target);
      for (var i2 = 0; i2 < sigParam.length; ++i2) {
        target.push(typeCodes[sigParam[i2]]);
      }
      if (sigRet == "v") {
        target.push(0);
      } else {
        target.push(1, typeCodes[sigRet]);
      }
    }, "generateFuncType");
    var convertJsFunctionToWasm = /* @__PURE__ */ __name((func2, sig) => {
      if (typeof WebAssembly.Function == "function") {
        return new WebAssembly.Function(sigToWasmTypes(sig), func2);
      }
      var typeSectionBody = [1];
      generateFuncType(sig, typeSectionBody);
      var bytes = [
        0,
        97,
        115,
        109,
        // magic ("\0asm")
        1,
        0,
        0,
        0,
        // version: 1
        1
      ];
      uleb128Encode(typeSectionBody.length, bytes);
      bytes.push(...typeSectionBody);
      bytes.push(
        2,
        7,
        // import section
        // (import "e" "f" (func 0 (type 0)))
        1,
        1,
        101,
        1,
        102,
        0,
        0,
        7,
        5,
        // export section
        // (export "f" (func 0 (type 0)))
        1,
        1,
        102,
        0,
        0
      );
      var module2 = new WebAssembly.Module(new Uint8Array(bytes));
      var instance2 = new WebAssembly.Instance(module2, {
        "e": {
          "f": func2
        }
      });
      var wrappedFunc = instance2.exports["f"];
      return wrappedFunc;
    }, "convertJsFunctionToWasm");
    var wasmTableMirror = [];
    var wasmTable = new WebAssembly.Table({
      "initial": 31,
      "element": "anyfunc"
    });
    var getWasmTableEntry = /* @__PURE__ */ __name((funcPtr) => {
      var func2 = wasmTableMirror[funcPtr];
      if (!func2) {
        if (funcPtr >= wasmTableMirror.length) wasmTableMirror.length = funcPtr + 1;
        wasmTableMirror[funcPtr] = func2 = wasmTable.get(funcPtr);
      }
      return func2;
    }, "getWasmTableEntry");
    var updateTableMap = /* @__PURE__ */ __name((offset, count) => {
      if (functionsInTableMap) {
        for (var i2 = offset; i2 < offset + count; i2++) {
          var item = getWasmTableEntry(i2);
          if (item) {
            functionsInTableMap.set(item, i2);
          }
        }
      }
    }, "updateTableMap");
    var functionsInTableMap;
    var getFunctionAddress = /* @__PURE__ */ __name((func2) => {
      if (!functionsInTableMap) {
        functionsInTableMap = /* @__PURE__ */ new WeakMap();
        updateTableMap(0, wasmTable.length);
      }
      return functionsInTableMap.get(func2) || 0;
    }, "getFunctionAddress");
    var freeTableIndexes = [];
    var getEmptyTableSlot = /* @__PURE__ */ __name(() => {
      if (freeTableIndexes.length) {
        return freeTableIndexes.pop();
      }
      try {
        wasmTable.grow(1);
      } catch (err2) {
        if (!(err2 instanceof RangeError)) {
          throw err2;
        }
        throw "Unable to grow wasm table. Set ALLOW_TABLE_GROWTH.";
      }
      return wasmTable.length - 1;
    }, "getEmptyTableSlot");
    var setWasmTableEntry = /* @__PURE__ */ __name((idx, func2) => {
      wasmTable.set(idx, func2);
      wasmTableMirror[idx] = wasmTable.get(idx);
    }, "setWasmTableEntry");
    var addFunction = /* @__PURE__ */ __name((func2, sig) => {
      var rtn = getFunctionAddress(func2);
      if (rtn) {
        return rtn;
      }
      var ret = getEmptyTableSlot();
      try {
        setWasmTableEntry(ret, func2);
      } catch (err2) {
        if (!(err2 instanceof TypeError)) {
          throw err2;
        }
        var wrapped = convertJsFunctionToWasm(func2, sig);
        setWasmTableEntry(ret, wrapped);
      }
      functionsInTableMap.set(func2, ret);
      return ret;
    }, "addFunction");
    var updateGOT = /* @__PURE__ */ __name((exports, replace) => {
      for (var symName in exports) {
        if (isInternalSym(symName)) {
          continue;
        }
        var value = exports[symName];
        GOT[symName] ||= new WebAssembly.Global({
          "value": "i32",
          "mutable": true
        });
        if (replace || GOT[symName].value == 0) {
          if (typeof value == "function") {
            GOT[symName].value = addFunction(value);
          } else if (typeof value == "number") {
            GOT[symName].value = value;
          } else {
            err(`unhandled export type for '${symName}': ${typeof value}`);
          }
        }
      }
    }, "updateGOT");
    var relocateExports = /* @__PURE__ */ __name((exports, memoryBase2, replace) => {
      var relocated = {};
      for (var e in exports) {
        var value = exports[e];
        if (typeof value == "object") {
          value = value.value;
        }
        if (typeof value == "number") {
          value += memoryBase2;
        }
        relocated[e] = value;
      }
      updateGOT(relocated, replace);
      return relocated;
    }, "relocateExports");
    var isSymbolDefined = /* @__PURE__ */ __name((symName) => {
      var existing = wasmImports[symName];
      if (!existing || existing.stub) {
        return false;
      }
      return true;
    }, "isSymbolDefined");
    var dynCall = /* @__PURE__ */ __name((sig, ptr, args2 = []) => {
      var rtn = getWasmTableEntry(ptr)(...args2);
      return rtn;
    }, "dynCall");
    var stackSave = /* @__PURE__ */ __name(() => _emscripten_stack_get_current(), "stackSave");
    var stackRestore = /* @__PURE__ */ __name((val) => __emscripten_stack_restore(val), "stackRestore");
    var createInvokeFunction = /* @__PURE__ */ __name((sig) => (ptr, ...args2) => {
      var sp = stackSave();
      try {
        return dynCall(sig, ptr, args2);
      } catch (e) {
        stackRestore(sp);
        if (e !== e + 0) throw e;
        _setThrew(1, 0);
        if (sig[0] == "j") return 0n;
      }
    }, "createInvokeFunction");
    var resolveGlobalSymbol = /* @__PURE__ */ __name((symName, direct = false) => {
      var sym;
      if (isSymbolDefined(symName)) {
        sym = wasmImports[symName];
      } else if (symName.startsWith("invoke_")) {
        sym = wasmImports[symName] = createInvokeFunction(symName.split("_")[1]);
      }
      return {
        sym,
        name: symName
      };
    }, "resolveGlobalSymbol");
    var onPostCtors = [];
    var addOnPostCtor = /* @__PURE__ */ __name((cb) => onPostCtors.unshift(cb), "addOnPostCtor");
    var UTF8ToString = /* @__PURE__ */ __name((ptr, maxBytesToRead) => ptr ? UTF8ArrayToString(HEAPU8, ptr, maxBytesToRead) : "", "UTF8ToString");
    var loadWebAssemblyModule = /* @__PURE__ */ __name((binary, flags, libName, localScope, handle) => {
      var metadata = getDylinkMetadata(binary);
      currentModuleWeakSymbols = metadata.weakImports;
      function loadModule() {
        var memAlign = Math.pow(2, metadata.memoryAlign);
        var memoryBase = metadata.memorySize ? alignMemory(getMemory(metadata.memorySize + memAlign), memAlign) : 0;
        var tableBase = metadata.tableSize ? wasmTable.length : 0;
        if (handle) {
          HEAP8[handle + 8] = 1;
          LE_HEAP_STORE_U32((handle + 12 >> 2) * 4, memoryBase);
          LE_HEAP_STORE_I32((handle + 16 >> 2) * 4, metadata.memorySize);
          LE_HEAP_STORE_U32((handle + 20 >> 2) * 4, tableBase);
          LE_HEAP_STORE_I32((handle + 24 >> 2) * 4, metadata.tableSize);
        }
        if (metadata.tableSize) {
          wasmTable.grow(metadata.tableSize);
        }
        var moduleExports;
        function resolveSymbol(sym) {
          var resolved = resolveGlobalSymbol(sym).sym;
          if (!resolved && localScope) {
            resolved = localScope[sym];
          }
          if (!resolved) {
            resolved = moduleExports[sym];
          }
          return resolved;
        }
        __name(resolveSymbol, "resolveSymbol");
        var proxyHandler = {
          get(stubs, prop) {
            switch (prop) {
              case "__memory_base":
                return memoryBase;
              case "__table_base":
                return tableBase;
            }
            if (prop in wasmImports && !wasmImports[prop].stub) {
              var res = wasmImports[prop];
              return res;
            }
            if (!(prop in stubs)) {
              var resolved;
              stubs[prop] = (...args2) => {
                resolved ||= resolveSymbol(prop);
                return resolved(...args2);
              };
            }
            return stubs[prop];
          }
        };
        var proxy = new Proxy({}, proxyHandler);
        var info = {
          "GOT.mem": new Proxy({}, GOTHandler),
          "GOT.func": new Proxy({}, GOTHandler),
          "env": proxy,
          "wasi_snapshot_preview1": proxy
        };
        function postInstantiation(module, instance) {
          updateTableMap(tableBase, metadata.tableSize);
          moduleExports = relocateExports(instance.exports, memoryBase);
          if (!flags.allowUndefined) {
            reportUndefinedSymbols();
          }
          function addEmAsm(addr, body) {
            var args = [];
            var arity = 0;
            for (; arity < 16; arity++) {
              if (body.indexOf("$" + arity) != -1) {
                args.push("$" + arity);
              } else {
                break;
              }
            }
            args = args.join(",");
            var func = `(${args}) => { ${body} };`;
            ASM_CONSTS[start] = eval(func);
          }
          __name(addEmAsm, "addEmAsm");
          if ("__start_em_asm" in moduleExports) {
            var start = moduleExports["__start_em_asm"];
            var stop = moduleExports["__stop_em_asm"];
            while (start < stop) {
              var jsString = UTF8ToString(start);
              addEmAsm(start, jsString);
              start = HEAPU8.indexOf(0, start) + 1;
            }
          }
          function addEmJs(name, cSig, body) {
            var jsArgs = [];
            cSig = cSig.slice(1, -1);
            if (cSig != "void") {
              cSig = cSig.split(",");
              for (var i in cSig) {
                var jsArg = cSig[i].split(" ").pop();
                jsArgs.push(jsArg.replace("*", ""));
              }
            }
            var func = `(${jsArgs}) => ${body};`;
            moduleExports[name] = eval(func);
          }
          __name(addEmJs, "addEmJs");
          for (var name in moduleExports) {
            if (name.startsWith("__em_js__")) {
              var start = moduleExports[name];
              var jsString = UTF8ToString(start);
              var parts = jsString.split("<::>");
              addEmJs(name.replace("__em_js__", ""), parts[0], parts[1]);
              delete moduleExports[name];
            }
          }
          var applyRelocs = moduleExports["__wasm_apply_data_relocs"];
          if (applyRelocs) {
            if (runtimeInitialized) {
              applyRelocs();
            } else {
              __RELOC_FUNCS__.push(applyRelocs);
            }
          }
          var init = moduleExports["__wasm_call_ctors"];
          if (init) {
            if (runtimeInitialized) {
              init();
            } else {
              addOnPostCtor(init);
            }
          }
          return moduleExports;
        }
        __name(postInstantiation, "postInstantiation");
        if (flags.loadAsync) {
          if (binary instanceof WebAssembly.Module) {
            var instance = new WebAssembly.Instance(binary, info);
            return Promise.resolve(postInstantiation(binary, instance));
          }
          return WebAssembly.instantiate(binary, info).then((result) => postInstantiation(result.module, result.instance));
        }
        var module = binary instanceof WebAssembly.Module ? binary : new WebAssembly.Module(binary);
        var instance = new WebAssembly.Instance(module, info);
        return postInstantiation(module, instance);
      }
      __name(loadModule, "loadModule");
      if (flags.loadAsync) {
        return metadata.neededDynlibs.reduce((chain, dynNeeded) => chain.then(() => loadDynamicLibrary(dynNeeded, flags, localScope)), Promise.resolve()).then(loadModule);
      }
      metadata.neededDynlibs.forEach((needed) => loadDynamicLibrary(needed, flags, localScope));
      return loadModule();
    }, "loadWebAssemblyModule");
    var mergeLibSymbols = /* @__PURE__ */ __name((exports, libName2) => {
      for (var [sym, exp] of Object.entries(exports)) {
        const setImport = /* @__PURE__ */ __name((target) => {
          if (!isSymbolDefined(target)) {
            wasmImports[target] = exp;
          }
        }, "setImport");
        setImport(sym);
        const main_alias = "__main_argc_argv";
        if (sym == "main") {
          setImport(main_alias);
        }
        if (sym == main_alias) {
          setImport("main");
        }
      }
    }, "mergeLibSymbols");
    var asyncLoad = /* @__PURE__ */ __name(async (url) => {
      var arrayBuffer = await readAsync(url);
      return new Uint8Array(arrayBuffer);
    }, "asyncLoad");
    function loadDynamicLibrary(libName2, flags2 = {
      global: true,
      nodelete: true
    }, localScope2, handle2) {
      var dso = LDSO.loadedLibsByName[libName2];
      if (dso) {
        if (!flags2.global) {
          if (localScope2) {
            Object.assign(localScope2, dso.exports);
          }
        } else if (!dso.global) {
          dso.global = true;
          mergeLibSymbols(dso.exports, libName2);
        }
        if (flags2.nodelete && dso.refcount !== Infinity) {
          dso.refcount = Infinity;
        }
        dso.refcount++;
        if (handle2) {
          LDSO.loadedLibsByHandle[handle2] = dso;
        }
        return flags2.loadAsync ? Promise.resolve(true) : true;
      }
      dso = newDSO(libName2, handle2, "loading");
      dso.refcount = flags2.nodelete ? Infinity : 1;
      dso.global = flags2.global;
      function loadLibData() {
        if (handle2) {
          var data = LE_HEAP_LOAD_U32((handle2 + 28 >> 2) * 4);
          var dataSize = LE_HEAP_LOAD_U32((handle2 + 32 >> 2) * 4);
          if (data && dataSize) {
            var libData = HEAP8.slice(data, data + dataSize);
            return flags2.loadAsync ? Promise.resolve(libData) : libData;
          }
        }
        var libFile = locateFile(libName2);
        if (flags2.loadAsync) {
          return asyncLoad(libFile);
        }
        if (!readBinary) {
          throw new Error(`${libFile}: file not found, and synchronous loading of external files is not available`);
        }
        return readBinary(libFile);
      }
      __name(loadLibData, "loadLibData");
      function getExports() {
        if (flags2.loadAsync) {
          return loadLibData().then((libData) => loadWebAssemblyModule(libData, flags2, libName2, localScope2, handle2));
        }
        return loadWebAssemblyModule(loadLibData(), flags2, libName2, localScope2, handle2);
      }
      __name(getExports, "getExports");
      function moduleLoaded(exports) {
        if (dso.global) {
          mergeLibSymbols(exports, libName2);
        } else if (localScope2) {
          Object.assign(localScope2, exports);
        }
        dso.exports = exports;
      }
      __name(moduleLoaded, "moduleLoaded");
      if (flags2.loadAsync) {
        return getExports().then((exports) => {
          moduleLoaded(exports);
          return true;
        });
      }
      moduleLoaded(getExports());
      return true;
    }
    __name(loadDynamicLibrary, "loadDynamicLibrary");
    var reportUndefinedSymbols = /* @__PURE__ */ __name(() => {
      for (var [symName, entry] of Object.entries(GOT)) {
        if (entry.value == 0) {
          var value = resolveGlobalSymbol(symName, true).sym;
          if (!value && !entry.required) {
            continue;
          }
          if (typeof value == "function") {
            entry.value = addFunction(value, value.sig);
          } else if (typeof value == "number") {
            entry.value = value;
          } else {
            throw new Error(`bad export type for '${symName}': ${typeof value}`);
          }
        }
      }
    }, "reportUndefinedSymbols");
    var loadDylibs = /* @__PURE__ */ __name(() => {
      if (!dynamicLibraries.length) {
        reportUndefinedSymbols();
        return;
      }
      addRunDependency("loadDylibs");
      dynamicLibraries.reduce((chain, lib) => chain.then(() => loadDynamicLibrary(lib, {
        loadAsync: true,
        global: true,
        nodelete: true,
        allowUndefined: true
      })), Promise.resolve()).then(() => {
        reportUndefinedSymbols();
        removeRunDependency("loadDylibs");
      });
    }, "loadDylibs");
    var noExitRuntime = Module["noExitRuntime"] || true;
    function setValue(ptr, value, type = "i8") {
      if (type.endsWith("*")) type = "*";
      switch (type) {
        case "i1":
          HEAP8[ptr] = value;
          break;
        case "i8":
          HEAP8[ptr] = value;
          break;
        case "i16":
          LE_HEAP_STORE_I16((ptr >> 1) * 2, value);
          break;
        case "i32":
          LE_HEAP_STORE_I32((ptr >> 2) * 4, value);
          break;
        case "i64":
          HEAP64[ptr >> 3] = BigInt(value);
          break;
        case "float":
          LE_HEAP_STORE_F32((ptr >> 2) * 4, value);
          break;
        case "double":
          LE_HEAP_STORE_F64((ptr >> 3) * 8, value);
          break;
        case "*":
          LE_HEAP_STORE_U32((ptr >> 2) * 4, value);
          break;
        default:
          abort(`invalid type for setValue: ${type}`);
      }
    }
    __name(setValue, "setValue");
    var ___memory_base = new WebAssembly.Global({
      "value": "i32",
      "mutable": false
    }, 1024);
    var ___stack_pointer = new WebAssembly.Global({
      "value": "i32",
      "mutable": true
    }, 78224);
    var ___table_base = new WebAssembly.Global({
      "value": "i32",
      "mutable": false
    }, 1);
    var __abort_js = /* @__PURE__ */ __name(() => abort(""), "__abort_js");
    __abort_js.sig = "v";
    var _emscripten_get_now = /* @__PURE__ */ __name(() => performance.now(), "_emscripten_get_now");
    _emscripten_get_now.sig = "d";
    var _emscripten_date_now = /* @__PURE__ */ __name(() => Date.now(), "_emscripten_date_now");
    _emscripten_date_now.sig = "d";
    var nowIsMonotonic = 1;
    var checkWasiClock = /* @__PURE__ */ __name((clock_id) => clock_id >= 0 && clock_id <= 3, "checkWasiClock");
    var INT53_MAX = 9007199254740992;
    var INT53_MIN = -9007199254740992;
    var bigintToI53Checked = /* @__PURE__ */ __name((num) => num < INT53_MIN || num > INT53_MAX ? NaN : Number(num), "bigintToI53Checked");
    function _clock_time_get(clk_id, ignored_precision, ptime) {
      ignored_precision = bigintToI53Checked(ignored_precision);
      if (!checkWasiClock(clk_id)) {
        return 28;
      }
      var now;
      if (clk_id === 0) {
        now = _emscripten_date_now();
      } else if (nowIsMonotonic) {
        now = _emscripten_get_now();
      } else {
        return 52;
      }
      var nsec = Math.round(now * 1e3 * 1e3);
      HEAP64[ptime >> 3] = BigInt(nsec);
      return 0;
    }
    __name(_clock_time_get, "_clock_time_get");
    _clock_time_get.sig = "iijp";
    var getHeapMax = /* @__PURE__ */ __name(() => (
      // Stay one Wasm page short of 4GB: while e.g. Chrome is able to allocate
      // full 4GB Wasm memories, the size will wrap back to 0 bytes in Wasm side
      // for any code that deals with heap sizes, which would require special
      // casing all heap size related code to treat 0 specially.
      2147483648
    ), "getHeapMax");
    var growMemory = /* @__PURE__ */ __name((size) => {
      var b = wasmMemory.buffer;
      var pages = (size - b.byteLength + 65535) / 65536 | 0;
      try {
        wasmMemory.grow(pages);
        updateMemoryViews();
        return 1;
      } catch (e) {
      }
    }, "growMemory");
    var _emscripten_resize_heap = /* @__PURE__ */ __name((requestedSize) => {
      var oldSize = HEAPU8.length;
      requestedSize >>>= 0;
      var maxHeapSize = getHeapMax();
      if (requestedSize > maxHeapSize) {
        return false;
      }
      for (var cutDown = 1; cutDown <= 4; cutDown *= 2) {
        var overGrownHeapSize = oldSize * (1 + 0.2 / cutDown);
        overGrownHeapSize = Math.min(overGrownHeapSize, requestedSize + 100663296);
        var newSize = Math.min(maxHeapSize, alignMemory(Math.max(requestedSize, overGrownHeapSize), 65536));
        var replacement2 = growMemory(newSize);
        if (replacement2) {
          return true;
        }
      }
      return false;
    }, "_emscripten_resize_heap");
    _emscripten_resize_heap.sig = "ip";
    var _fd_close = /* @__PURE__ */ __name((fd) => 52, "_fd_close");
    _fd_close.sig = "ii";
    function _fd_seek(fd, offset, whence, newOffset) {
      offset = bigintToI53Checked(offset);
      return 70;
    }
    __name(_fd_seek, "_fd_seek");
    _fd_seek.sig = "iijip";
    var printCharBuffers = [null, [], []];
    var printChar = /* @__PURE__ */ __name((stream, curr) => {
      var buffer = printCharBuffers[stream];
      if (curr === 0 || curr === 10) {
        (stream === 1 ? out : err)(UTF8ArrayToString(buffer));
        buffer.length = 0;
      } else {
        buffer.push(curr);
      }
    }, "printChar");
    var flush_NO_FILESYSTEM = /* @__PURE__ */ __name(() => {
      if (printCharBuffers[1].length) printChar(1, 10);
      if (printCharBuffers[2].length) printChar(2, 10);
    }, "flush_NO_FILESYSTEM");
    var SYSCALLS = {
      varargs: void 0,
      getStr(ptr) {
        var ret = UTF8ToString(ptr);
        return ret;
      }
    };
    var _fd_write = /* @__PURE__ */ __name((fd, iov, iovcnt, pnum) => {
      var num = 0;
      for (var i2 = 0; i2 < iovcnt; i2++) {
        var ptr = LE_HEAP_LOAD_U32((iov >> 2) * 4);
        var len = LE_HEAP_LOAD_U32((iov + 4 >> 2) * 4);
        iov += 8;
        for (var j = 0; j < len; j++) {
          printChar(fd, HEAPU8[ptr + j]);
        }
        num += len;
      }
      LE_HEAP_STORE_U32((pnum >> 2) * 4, num);
      return 0;
    }, "_fd_write");
    _fd_write.sig = "iippp";
    function _tree_sitter_log_callback(isLexMessage, messageAddress) {
      if (Module.currentLogCallback) {
        const message = UTF8ToString(messageAddress);
        Module.currentLogCallback(message, isLexMessage !== 0);
      }
    }
    __name(_tree_sitter_log_callback, "_tree_sitter_log_callback");
    function _tree_sitter_parse_callback(inputBufferAddress, index, row, column, lengthAddress) {
      const INPUT_BUFFER_SIZE = 10 * 1024;
      const string = Module.currentParseCallback(index, {
        row,
        column
      });
      if (typeof string === "string") {
        setValue(lengthAddress, string.length, "i32");
        stringToUTF16(string, inputBufferAddress, INPUT_BUFFER_SIZE);
      } else {
        setValue(lengthAddress, 0, "i32");
      }
    }
    __name(_tree_sitter_parse_callback, "_tree_sitter_parse_callback");
    function _tree_sitter_progress_callback(currentOffset, hasError) {
      if (Module.currentProgressCallback) {
        return Module.currentProgressCallback({
          currentOffset,
          hasError
        });
      }
      return false;
    }
    __name(_tree_sitter_progress_callback, "_tree_sitter_progress_callback");
    function _tree_sitter_query_progress_callback(currentOffset) {
      if (Module.currentQueryProgressCallback) {
        return Module.currentQueryProgressCallback({
          currentOffset
        });
      }
      return false;
    }
    __name(_tree_sitter_query_progress_callback, "_tree_sitter_query_progress_callback");
    var runtimeKeepaliveCounter = 0;
    var keepRuntimeAlive = /* @__PURE__ */ __name(() => noExitRuntime || runtimeKeepaliveCounter > 0, "keepRuntimeAlive");
    var _proc_exit = /* @__PURE__ */ __name((code) => {
      EXITSTATUS = code;
      if (!keepRuntimeAlive()) {
        Module["onExit"]?.(code);
        ABORT = true;
      }
      quit_(code, new ExitStatus(code));
    }, "_proc_exit");
    _proc_exit.sig = "vi";
    var exitJS = /* @__PURE__ */ __name((status, implicit) => {
      EXITSTATUS = status;
      _proc_exit(status);
    }, "exitJS");
    var handleException = /* @__PURE__ */ __name((e) => {
      if (e instanceof ExitStatus || e == "unwind") {
        return EXITSTATUS;
      }
      quit_(1, e);
    }, "handleException");
    var lengthBytesUTF8 = /* @__PURE__ */ __name((str) => {
      var len = 0;
      for (var i2 = 0; i2 < str.length; ++i2) {
        var c = str.charCodeAt(i2);
        if (c <= 127) {
          len++;
        } else if (c <= 2047) {
          len += 2;
        } else if (c >= 55296 && c <= 57343) {
          len += 4;
          ++i2;
        } else {
          len += 3;
        }
      }
      return len;
    }, "lengthBytesUTF8");
    var stringToUTF8Array = /* @__PURE__ */ __name((str, heap, outIdx, maxBytesToWrite) => {
      if (!(maxBytesToWrite > 0)) return 0;
      var startIdx = outIdx;
      var endIdx = outIdx + maxBytesToWrite - 1;
      for (var i2 = 0; i2 < str.length; ++i2) {
        var u = str.charCodeAt(i2);
        if (u >= 55296 && u <= 57343) {
          var u1 = str.charCodeAt(++i2);
          u = 65536 + ((u & 1023) << 10) | u1 & 1023;
        }
        if (u <= 127) {
          if (outIdx >= endIdx) break;
          heap[outIdx++] = u;
        } else if (u <= 2047) {
          if (outIdx + 1 >= endIdx) break;
          heap[outIdx++] = 192 | u >> 6;
          heap[outIdx++] = 128 | u & 63;
        } else if (u <= 65535) {
          if (outIdx + 2 >= endIdx) break;
          heap[outIdx++] = 224 | u >> 12;
          heap[outIdx++] = 128 | u >> 6 & 63;
          heap[outIdx++] = 128 | u & 63;
        } else {
          if (outIdx + 3 >= endIdx) break;
          heap[outIdx++] = 240 | u >> 18;
          heap[outIdx++] = 128 | u >> 12 & 63;
          heap[outIdx++] = 128 | u >> 6 & 63;
          heap[outIdx++] = 128 | u & 63;
        }
      }
      heap[outIdx] = 0;
      return outIdx - startIdx;
    }, "stringToUTF8Array");
    var stringToUTF8 = /* @__PURE__ */ __name((str, outPtr, maxBytesToWrite) => stringToUTF8Array(str, HEAPU8, outPtr, maxBytesToWrite), "stringToUTF8");
    var stackAlloc = /* @__PURE__ */ __name((sz) => __emscripten_stack_alloc(sz), "stackAlloc");
    var stringToUTF8OnStack = /* @__PURE__ */ __name((str) => {
      var size = lengthBytesUTF8(str) + 1;
      var ret = stackAlloc(size);
      stringToUTF8(str, ret, size);
      return ret;
    }, "stringToUTF8OnStack");
    var AsciiToString = /* @__PURE__ */ __name((ptr) => {
      var str = "";
      while (1) {
        var ch = HEAPU8[ptr++];
        if (!ch) return str;
        str += String.fromCharCode(ch);
      }
    }, "AsciiToString");
    var stringToUTF16 = /* @__PURE__ */ __name((str, outPtr, maxBytesToWrite) => {
      maxBytesToWrite ??= 2147483647;
      if (maxBytesToWrite < 2) return 0;
      maxBytesToWrite -= 2;
      var startPtr = outPtr;
      var numCharsToWrite = maxBytesToWrite < str.length * 2 ? maxBytesToWrite / 2 : str.length;
      for (var i2 = 0; i2 < numCharsToWrite; ++i2) {
        var codeUnit = str.charCodeAt(i2);
        LE_HEAP_STORE_I16((outPtr >> 1) * 2, codeUnit);
        outPtr += 2;
      }
      LE_HEAP_STORE_I16((outPtr >> 1) * 2, 0);
      return outPtr - startPtr;
    }, "stringToUTF16");
    var wasmImports = {
      /** @export */
      __heap_base: ___heap_base,
      /** @export */
      __indirect_function_table: wasmTable,
      /** @export */
      __memory_base: ___memory_base,
      /** @export */
      __stack_pointer: ___stack_pointer,
      /** @export */
      __table_base: ___table_base,
      /** @export */
      _abort_js: __abort_js,
      /** @export */
      clock_time_get: _clock_time_get,
      /** @export */
      emscripten_resize_heap: _emscripten_resize_heap,
      /** @export */
      fd_close: _fd_close,
      /** @export */
      fd_seek: _fd_seek,
      /** @export */
      fd_write: _fd_write,
      /** @export */
      memory: wasmMemory,
      /** @export */
      tree_sitter_log_callback: _tree_sitter_log_callback,
      /** @export */
      tree_sitter_parse_callback: _tree_sitter_parse_callback,
      /** @export */
      tree_sitter_progress_callback: _tree_sitter_progress_callback,
      /** @export */
      tree_sitter_query_progress_callback: _tree_sitter_query_progress_callback
    };
    var wasmExports = await createWasm();
    var ___wasm_call_ctors = wasmExports["__wasm_call_ctors"];
    var _malloc = Module["_malloc"] = wasmExports["malloc"];
    var _calloc = Module["_calloc"] = wasmExports["calloc"];
    var _realloc = Module["_realloc"] = wasmExports["realloc"];
    var _free = Module["_free"] = wasmExports["free"];
    var _memcmp = Module["_memcmp"] = wasmExports["memcmp"];
    var _ts_language_symbol_count = Module["_ts_language_symbol_count"] = wasmExports["ts_language_symbol_count"];
    var _ts_language_state_count = Module["_ts_language_state_count"] = wasmExports["ts_language_state_count"];
    var _ts_language_version = Module["_ts_language_version"] = wasmExports["ts_language_version"];
    var _ts_language_abi_version = Module["_ts_language_abi_version"] = wasmExports["ts_language_abi_version"];
    var _ts_language_metadata = Module["_ts_language_metadata"] = wasmExports["ts_language_metadata"];
    var _ts_language_name = Module["_ts_language_name"] = wasmExports["ts_language_name"];
    var _ts_language_field_count = Module["_ts_language_field_count"] = wasmExports["ts_language_field_count"];
    var _ts_language_next_state = Module["_ts_language_next_state"] = wasmExports["ts_language_next_state"];
    var _ts_language_symbol_name = Module["_ts_language_symbol_name"] = wasmExports["ts_language_symbol_name"];
    var _ts_language_symbol_for_name = Module["_ts_language_symbol_for_name"] = wasmExports["ts_language_symbol_for_name"];
    var _strncmp = Module["_strncmp"] = wasmExports["strncmp"];
    var _ts_language_symbol_type = Module["_ts_language_symbol_type"] = wasmExports["ts_language_symbol_type"];
    var _ts_language_field_name_for_id = Module["_ts_language_field_name_for_id"] = wasmExports["ts_language_field_name_for_id"];
    var _ts_lookahead_iterator_new = Module["_ts_lookahead_iterator_new"] = wasmExports["ts_lookahead_iterator_new"];
    var _ts_lookahead_iterator_delete = Module["_ts_lookahead_iterator_delete"] = wasmExports["ts_lookahead_iterator_delete"];
    var _ts_lookahead_iterator_reset_state = Module["_ts_lookahead_iterator_reset_state"] = wasmExports["ts_lookahead_iterator_reset_state"];
    var _ts_lookahead_iterator_reset = Module["_ts_lookahead_iterator_reset"] = wasmExports["ts_lookahead_iterator_reset"];
    var _ts_lookahead_iterator_next = Module["_ts_lookahead_iterator_next"] = wasmExports["ts_lookahead_iterator_next"];
    var _ts_lookahead_iterator_current_symbol = Module["_ts_lookahead_iterator_current_symbol"] = wasmExports["ts_lookahead_iterator_current_symbol"];
    var _ts_parser_delete = Module["_ts_parser_delete"] = wasmExports["ts_parser_delete"];
    var _ts_parser_reset = Module["_ts_parser_reset"] = wasmExports["ts_parser_reset"];
    var _ts_parser_set_language = Module["_ts_parser_set_language"] = wasmExports["ts_parser_set_language"];
    var _ts_parser_timeout_micros = Module["_ts_parser_timeout_micros"] = wasmExports["ts_parser_timeout_micros"];
    var _ts_parser_set_timeout_micros = Module["_ts_parser_set_timeout_micros"] = wasmExports["ts_parser_set_timeout_micros"];
    var _ts_parser_set_included_ranges = Module["_ts_parser_set_included_ranges"] = wasmExports["ts_parser_set_included_ranges"];
    var _ts_query_new = Module["_ts_query_new"] = wasmExports["ts_query_new"];
    var _ts_query_delete = Module["_ts_query_delete"] = wasmExports["ts_query_delete"];
    var _iswspace = Module["_iswspace"] = wasmExports["iswspace"];
    var _iswalnum = Module["_iswalnum"] = wasmExports["iswalnum"];
    var _ts_query_pattern_count = Module["_ts_query_pattern_count"] = wasmExports["ts_query_pattern_count"];
    var _ts_query_capture_count = Module["_ts_query_capture_count"] = wasmExports["ts_query_capture_count"];
    var _ts_query_string_count = Module["_ts_query_string_count"] = wasmExports["ts_query_string_count"];
    var _ts_query_capture_name_for_id = Module["_ts_query_capture_name_for_id"] = wasmExports["ts_query_capture_name_for_id"];
    var _ts_query_capture_quantifier_for_id = Module["_ts_query_capture_quantifier_for_id"] = wasmExports["ts_query_capture_quantifier_for_id"];
    var _ts_query_string_value_for_id = Module["_ts_query_string_value_for_id"] = wasmExports["ts_query_string_value_for_id"];
    var _ts_query_predicates_for_pattern = Module["_ts_query_predicates_for_pattern"] = wasmExports["ts_query_predicates_for_pattern"];
    var _ts_query_start_byte_for_pattern = Module["_ts_query_start_byte_for_pattern"] = wasmExports["ts_query_start_byte_for_pattern"];
    var _ts_query_end_byte_for_pattern = Module["_ts_query_end_byte_for_pattern"] = wasmExports["ts_query_end_byte_for_pattern"];
    var _ts_query_is_pattern_rooted = Module["_ts_query_is_pattern_rooted"] = wasmExports["ts_query_is_pattern_rooted"];
    var _ts_query_is_pattern_non_local = Module["_ts_query_is_pattern_non_local"] = wasmExports["ts_query_is_pattern_non_local"];
    var _ts_query_is_pattern_guaranteed_at_step = Module["_ts_query_is_pattern_guaranteed_at_step"] = wasmExports["ts_query_is_pattern_guaranteed_at_step"];
    var _ts_query_disable_capture = Module["_ts_query_disable_capture"] = wasmExports["ts_query_disable_capture"];
    var _ts_query_disable_pattern = Module["_ts_query_disable_pattern"] = wasmExports["ts_query_disable_pattern"];
    var _ts_tree_copy = Module["_ts_tree_copy"] = wasmExports["ts_tree_copy"];
    var _ts_tree_delete = Module["_ts_tree_delete"] = wasmExports["ts_tree_delete"];
    var _ts_init = Module["_ts_init"] = wasmExports["ts_init"];
    var _ts_parser_new_wasm = Module["_ts_parser_new_wasm"] = wasmExports["ts_parser_new_wasm"];
    var _ts_parser_enable_logger_wasm = Module["_ts_parser_enable_logger_wasm"] = wasmExports["ts_parser_enable_logger_wasm"];
    var _ts_parser_parse_wasm = Module["_ts_parser_parse_wasm"] = wasmExports["ts_parser_parse_wasm"];
    var _ts_parser_included_ranges_wasm = Module["_ts_parser_included_ranges_wasm"] = wasmExports["ts_parser_included_ranges_wasm"];
    var _ts_language_type_is_named_wasm = Module["_ts_language_type_is_named_wasm"] = wasmExports["ts_language_type_is_named_wasm"];
    var _ts_language_type_is_visible_wasm = Module["_ts_language_type_is_visible_wasm"] = wasmExports["ts_language_type_is_visible_wasm"];
    var _ts_language_supertypes_wasm = Module["_ts_language_supertypes_wasm"] = wasmExports["ts_language_supertypes_wasm"];
    var _ts_language_subtypes_wasm = Module["_ts_language_subtypes_wasm"] = wasmExports["ts_language_subtypes_wasm"];
    var _ts_tree_root_node_wasm = Module["_ts_tree_root_node_wasm"] = wasmExports["ts_tree_root_node_wasm"];
    var _ts_tree_root_node_with_offset_wasm = Module["_ts_tree_root_node_with_offset_wasm"] = wasmExports["ts_tree_root_node_with_offset_wasm"];
    var _ts_tree_edit_wasm = Module["_ts_tree_edit_wasm"] = wasmExports["ts_tree_edit_wasm"];
    var _ts_tree_included_ranges_wasm = Module["_ts_tree_included_ranges_wasm"] = wasmExports["ts_tree_included_ranges_wasm"];
    var _ts_tree_get_changed_ranges_wasm = Module["_ts_tree_get_changed_ranges_wasm"] = wasmExports["ts_tree_get_changed_ranges_wasm"];
    var _ts_tree_cursor_new_wasm = Module["_ts_tree_cursor_new_wasm"] = wasmExports["ts_tree_cursor_new_wasm"];
    var _ts_tree_cursor_copy_wasm = Module["_ts_tree_cursor_copy_wasm"] = wasmExports["ts_tree_cursor_copy_wasm"];
    var _ts_tree_cursor_delete_wasm = Module["_ts_tree_cursor_delete_wasm"] = wasmExports["ts_tree_cursor_delete_wasm"];
    var _ts_tree_cursor_reset_wasm = Module["_ts_tree_cursor_reset_wasm"] = wasmExports["ts_tree_cursor_reset_wasm"];
    var _ts_tree_cursor_reset_to_wasm = Module["_ts_tree_cursor_reset_to_wasm"] = wasmExports["ts_tree_cursor_reset_to_wasm"];
    var _ts_tree_cursor_goto_first_child_wasm = Module["_ts_tree_cursor_goto_first_child_wasm"] = wasmExports["ts_tree_cursor_goto_first_child_wasm"];
    var _ts_tree_cursor_goto_last_child_wasm = Module["_ts_tree_cursor_goto_last_child_wasm"] = wasmExports["ts_tree_cursor_goto_last_child_wasm"];
    var _ts_tree_cursor_goto_first_child_for_index_wasm = Module["_ts_tree_cursor_goto_first_child_for_index_wasm"] = wasmExports["ts_tree_cursor_goto_first_child_for_index_wasm"];
    var _ts_tree_cursor_goto_first_child_for_position_wasm = Module["_ts_tree_cursor_goto_first_child_for_position_wasm"] = wasmExports["ts_tree_cursor_goto_first_child_for_position_wasm"];
    var _ts_tree_cursor_goto_next_sibling_wasm = Module["_ts_tree_cursor_goto_next_sibling_wasm"] = wasmExports["ts_tree_cursor_goto_next_sibling_wasm"];
    var _ts_tree_cursor_goto_previous_sibling_wasm = Module["_ts_tree_cursor_goto_previous_sibling_wasm"] = wasmExports["ts_tree_cursor_goto_previous_sibling_wasm"];
    var _ts_tree_cursor_goto_descendant_wasm = Module["_ts_tree_cursor_goto_descendant_wasm"] = wasmExports["ts_tree_cursor_goto_descendant_wasm"];
    var _ts_tree_cursor_goto_parent_wasm = Module["_ts_tree_cursor_goto_parent_wasm"] = wasmExports["ts_tree_cursor_goto_parent_wasm"];
    var _ts_tree_cursor_current_node_type_id_wasm = Module["_ts_tree_cursor_current_node_type_id_wasm"] = wasmExports["ts_tree_cursor_current_node_type_id_wasm"];
    var _ts_tree_cursor_current_node_state_id_wasm = Module["_ts_tree_cursor_current_node_state_id_wasm"] = wasmExports["ts_tree_cursor_current_node_state_id_wasm"];
    var _ts_tree_cursor_current_node_is_named_wasm = Module["_ts_tree_cursor_current_node_is_named_wasm"] = wasmExports["ts_tree_cursor_current_node_is_named_wasm"];
    var _ts_tree_cursor_current_node_is_missing_wasm = Module["_ts_tree_cursor_current_node_is_missing_wasm"] = wasmExports["ts_tree_cursor_current_node_is_missing_wasm"];
    var _ts_tree_cursor_current_node_id_wasm = Module["_ts_tree_cursor_current_node_id_wasm"] = wasmExports["ts_tree_cursor_current_node_id_wasm"];
    var _ts_tree_cursor_start_position_wasm = Module["_ts_tree_cursor_start_position_wasm"] = wasmExports["ts_tree_cursor_start_position_wasm"];
    var _ts_tree_cursor_end_position_wasm = Module["_ts_tree_cursor_end_position_wasm"] = wasmExports["ts_tree_cursor_end_position_wasm"];
    var _ts_tree_cursor_start_index_wasm = Module["_ts_tree_cursor_start_index_wasm"] = wasmExports["ts_tree_cursor_start_index_wasm"];
    var _ts_tree_cursor_end_index_wasm = Module["_ts_tree_cursor_end_index_wasm"] = wasmExports["ts_tree_cursor_end_index_wasm"];
    var _ts_tree_cursor_current_field_id_wasm = Module["_ts_tree_cursor_current_field_id_wasm"] = wasmExports["ts_tree_cursor_current_field_id_wasm"];
    var _ts_tree_cursor_current_depth_wasm = Module["_ts_tree_cursor_current_depth_wasm"] = wasmExports["ts_tree_cursor_current_depth_wasm"];
    var _ts_tree_cursor_current_descendant_index_wasm = Module["_ts_tree_cursor_current_descendant_index_wasm"] = wasmExports["ts_tree_cursor_current_descendant_index_wasm"];
    var _ts_tree_cursor_current_node_wasm = Module["_ts_tree_cursor_current_node_wasm"] = wasmExports["ts_tree_cursor_current_node_wasm"];
    var _ts_node_symbol_wasm = Module["_ts_node_symbol_wasm"] = wasmExports["ts_node_symbol_wasm"];
    var _ts_node_field_name_for_child_wasm = Module["_ts_node_field_name_for_child_wasm"] = wasmExports["ts_node_field_name_for_child_wasm"];
    var _ts_node_field_name_for_named_child_wasm = Module["_ts_node_field_name_for_named_child_wasm"] = wasmExports["ts_node_field_name_for_named_child_wasm"];
    var _ts_node_children_by_field_id_wasm = Module["_ts_node_children_by_field_id_wasm"] = wasmExports["ts_node_children_by_field_id_wasm"];
    var _ts_node_first_child_for_byte_wasm = Module["_ts_node_first_child_for_byte_wasm"] = wasmExports["ts_node_first_child_for_byte_wasm"];
    var _ts_node_first_named_child_for_byte_wasm = Module["_ts_node_first_named_child_for_byte_wasm"] = wasmExports["ts_node_first_named_child_for_byte_wasm"];
    var _ts_node_grammar_symbol_wasm = Module["_ts_node_grammar_symbol_wasm"] = wasmExports["ts_node_grammar_symbol_wasm"];
    var _ts_node_child_count_wasm = Module["_ts_node_child_count_wasm"] = wasmExports["ts_node_child_count_wasm"];
    var _ts_node_named_child_count_wasm = Module["_ts_node_named_child_count_wasm"] = wasmExports["ts_node_named_child_count_wasm"];
    var _ts_node_child_wasm = Module["_ts_node_child_wasm"] = wasmExports["ts_node_child_wasm"];
    var _ts_node_named_child_wasm = Module["_ts_node_named_child_wasm"] = wasmExports["ts_node_named_child_wasm"];
    var _ts_node_child_by_field_id_wasm = Module["_ts_node_child_by_field_id_wasm"] = wasmExports["ts_node_child_by_field_id_wasm"];
    var _ts_node_next_sibling_wasm = Module["_ts_node_next_sibling_wasm"] = wasmExports["ts_node_next_sibling_wasm"];
    var _ts_node_prev_sibling_wasm = Module["_ts_node_prev_sibling_wasm"] = wasmExports["ts_node_prev_sibling_wasm"];
    var _ts_node_next_named_sibling_wasm = Module["_ts_node_next_named_sibling_wasm"] = wasmExports["ts_node_next_named_sibling_wasm"];
    var _ts_node_prev_named_sibling_wasm = Module["_ts_node_prev_named_sibling_wasm"] = wasmExports["ts_node_prev_named_sibling_wasm"];
    var _ts_node_descendant_count_wasm = Module["_ts_node_descendant_count_wasm"] = wasmExports["ts_node_descendant_count_wasm"];
    var _ts_node_parent_wasm = Module["_ts_node_parent_wasm"] = wasmExports["ts_node_parent_wasm"];
    var _ts_node_child_with_descendant_wasm = Module["_ts_node_child_with_descendant_wasm"] = wasmExports["ts_node_child_with_descendant_wasm"];
    var _ts_node_descendant_for_index_wasm = Module["_ts_node_descendant_for_index_wasm"] = wasmExports["ts_node_descendant_for_index_wasm"];
    var _ts_node_named_descendant_for_index_wasm = Module["_ts_node_named_descendant_for_index_wasm"] = wasmExports["ts_node_named_descendant_for_index_wasm"];
    var _ts_node_descendant_for_position_wasm = Module["_ts_node_descendant_for_position_wasm"] = wasmExports["ts_node_descendant_for_position_wasm"];
    var _ts_node_named_descendant_for_position_wasm = Module["_ts_node_named_descendant_for_position_wasm"] = wasmExports["ts_node_named_descendant_for_position_wasm"];
    var _ts_node_start_point_wasm = Module["_ts_node_start_point_wasm"] = wasmExports["ts_node_start_point_wasm"];
    var _ts_node_end_point_wasm = Module["_ts_node_end_point_wasm"] = wasmExports["ts_node_end_point_wasm"];
    var _ts_node_start_index_wasm = Module["_ts_node_start_index_wasm"] = wasmExports["ts_node_start_index_wasm"];
    var _ts_node_end_index_wasm = Module["_ts_node_end_index_wasm"] = wasmExports["ts_node_end_index_wasm"];
    var _ts_node_to_string_wasm = Module["_ts_node_to_string_wasm"] = wasmExports["ts_node_to_string_wasm"];
    var _ts_node_children_wasm = Module["_ts_node_children_wasm"] = wasmExports["ts_node_children_wasm"];
    var _ts_node_named_children_wasm = Module["_ts_node_named_children_wasm"] = wasmExports["ts_node_named_children_wasm"];
    var _ts_node_descendants_of_type_wasm = Module["_ts_node_descendants_of_type_wasm"] = wasmExports["ts_node_descendants_of_type_wasm"];
    var _ts_node_is_named_wasm = Module["_ts_node_is_named_wasm"] = wasmExports["ts_node_is_named_wasm"];
    var _ts_node_has_changes_wasm = Module["_ts_node_has_changes_wasm"] = wasmExports["ts_node_has_changes_wasm"];
    var _ts_node_has_error_wasm = Module["_ts_node_has_error_wasm"] = wasmExports["ts_node_has_error_wasm"];
    var _ts_node_is_error_wasm = Module["_ts_node_is_error_wasm"] = wasmExports["ts_node_is_error_wasm"];
    var _ts_node_is_missing_wasm = Module["_ts_node_is_missing_wasm"] = wasmExports["ts_node_is_missing_wasm"];
    var _ts_node_is_extra_wasm = Module["_ts_node_is_extra_wasm"] = wasmExports["ts_node_is_extra_wasm"];
    var _ts_node_parse_state_wasm = Module["_ts_node_parse_state_wasm"] = wasmExports["ts_node_parse_state_wasm"];
    var _ts_node_next_parse_state_wasm = Module["_ts_node_next_parse_state_wasm"] = wasmExports["ts_node_next_parse_state_wasm"];
    var _ts_query_matches_wasm = Module["_ts_query_matches_wasm"] = wasmExports["ts_query_matches_wasm"];
    var _ts_query_captures_wasm = Module["_ts_query_captures_wasm"] = wasmExports["ts_query_captures_wasm"];
    var _memset = Module["_memset"] = wasmExports["memset"];
    var _memcpy = Module["_memcpy"] = wasmExports["memcpy"];
    var _memmove = Module["_memmove"] = wasmExports["memmove"];
    var _iswalpha = Module["_iswalpha"] = wasmExports["iswalpha"];
    var _iswblank = Module["_iswblank"] = wasmExports["iswblank"];
    var _iswdigit = Module["_iswdigit"] = wasmExports["iswdigit"];
    var _iswlower = Module["_iswlower"] = wasmExports["iswlower"];
    var _iswupper = Module["_iswupper"] = wasmExports["iswupper"];
    var _iswxdigit = Module["_iswxdigit"] = wasmExports["iswxdigit"];
    var _memchr = Module["_memchr"] = wasmExports["memchr"];
    var _strlen = Module["_strlen"] = wasmExports["strlen"];
    var _strcmp = Module["_strcmp"] = wasmExports["strcmp"];
    var _strncat = Module["_strncat"] = wasmExports["strncat"];
    var _strncpy = Module["_strncpy"] = wasmExports["strncpy"];
    var _towlower = Module["_towlower"] = wasmExports["towlower"];
    var _towupper = Module["_towupper"] = wasmExports["towupper"];
    var _setThrew = wasmExports["setThrew"];
    var __emscripten_stack_restore = wasmExports["_emscripten_stack_restore"];
    var __emscripten_stack_alloc = wasmExports["_emscripten_stack_alloc"];
    var _emscripten_stack_get_current = wasmExports["emscripten_stack_get_current"];
    var ___wasm_apply_data_relocs = wasmExports["__wasm_apply_data_relocs"];
    Module["setValue"] = setValue;
    Module["getValue"] = getValue;
    Module["UTF8ToString"] = UTF8ToString;
    Module["stringToUTF8"] = stringToUTF8;
    Module["lengthBytesUTF8"] = lengthBytesUTF8;
    Module["AsciiToString"] = AsciiToString;
    Module["stringToUTF16"] = stringToUTF16;
    Module["loadWebAssemblyModule"] = loadWebAssemblyModule;
    function callMain(args2 = []) {
      var entryFunction = resolveGlobalSymbol("main").sym;
      if (!entryFunction) return;
      args2.unshift(thisProgram);
      var argc = args2.length;
      var argv = stackAlloc((argc + 1) * 4);
      var argv_ptr = argv;
      args2.forEach((arg) => {
        LE_HEAP_STORE_U32((argv_ptr >> 2) * 4, stringToUTF8OnStack(arg));
        argv_ptr += 4;
      });
      LE_HEAP_STORE_U32((argv_ptr >> 2) * 4, 0);
      try {
        var ret = entryFunction(argc, argv);
        exitJS(
          ret,
          /* implicit = */
          true
        );
        return ret;
      } catch (e) {
        return handleException(e);
      }
    }
    __name(callMain, "callMain");
    function run(args2 = arguments_) {
      if (runDependencies > 0) {
        dependenciesFulfilled = run;
        return;
      }
      preRun();
      if (runDependencies > 0) {
        dependenciesFulfilled = run;
        return;
      }
      function doRun() {
        Module["calledRun"] = true;
        if (ABORT) return;
        initRuntime();
        preMain();
        readyPromiseResolve(Module);
        Module["onRuntimeInitialized"]?.();
        var noInitialRun = Module["noInitialRun"];
        if (!noInitialRun) callMain(args2);
        postRun();
      }
      __name(doRun, "doRun");
      if (Module["setStatus"]) {
        Module["setStatus"]("Running...");
        setTimeout(() => {
          setTimeout(() => Module["setStatus"](""), 1);
          doRun();
        }, 1);
      } else {
        doRun();
      }
    }
    __name(run, "run");
    if (Module["preInit"]) {
      if (typeof Module["preInit"] == "function") Module["preInit"] = [Module["preInit"]];
      while (Module["preInit"].length > 0) {
        Module["preInit"].pop()();
      }
    }
    run();
    moduleRtn = readyPromise;
    return moduleRtn;
  };
})();
var tree_sitter_default = Module2;
var Module3 = null;
async function initializeBinding(moduleOptions) {
  if (!Module3) {
    Module3 = await tree_sitter_default(moduleOptions);
  }
  return Module3;
}
__name(initializeBinding, "initializeBinding");
function checkModule() {
  return !!Module3;
}
__name(checkModule, "checkModule");
var TRANSFER_BUFFER;
var LANGUAGE_VERSION;
var MIN_COMPATIBLE_VERSION;
var Parser = class {
  static {
    __name(this, "Parser");
  }
  /** @internal */
  [0] = 0;
  // Internal handle for WASM
  /** @internal */
  [1] = 0;
  // Internal handle for WASM
  /** @internal */
  logCallback = null;
  /** The parser's current language. */
  language = null;
  /**
   * This must always be called before creating a Parser.
   *
   * You can optionally pass in options to configure the WASM module, the most common
   * one being `locateFile` to help the module find the `.wasm` file.
   */
  static async init(moduleOptions) {
    setModule(await initializeBinding(moduleOptions));
    TRANSFER_BUFFER = C._ts_init();
    LANGUAGE_VERSION = C.getValue(TRANSFER_BUFFER, "i32");
    MIN_COMPATIBLE_VERSION = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
  }
  /**
   * Create a new parser.
   */
  constructor() {
    this.initialize();
  }
  /** @internal */
  initialize() {
    if (!checkModule()) {
      throw new Error("cannot construct a Parser before calling `init()`");
    }
    C._ts_parser_new_wasm();
    this[0] = C.getValue(TRANSFER_BUFFER, "i32");
    this[1] = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
  }
  /** Delete the parser, freeing its resources. */
  delete() {
    C._ts_parser_delete(this[0]);
    C._free(this[1]);
    this[0] = 0;
    this[1] = 0;
  }
  /**
   * Set the language that the parser should use for parsing.
   *
   * If the language was not successfully assigned, an error will be thrown.
   * This happens if the language was generated with an incompatible
   * version of the Tree-sitter CLI. Check the language's version using
   * {@link Language#version} and compare it to this library's
   * {@link LANGUAGE_VERSION} and {@link MIN_COMPATIBLE_VERSION} constants.
   */
  setLanguage(language) {
    let address;
    if (!language) {
      address = 0;
      this.language = null;
    } else if (language.constructor === Language) {
      address = language[0];
      const version = C._ts_language_version(address);
      if (version < MIN_COMPATIBLE_VERSION || LANGUAGE_VERSION < version) {
        throw new Error(
          `Incompatible language version ${version}. Compatibility range ${MIN_COMPATIBLE_VERSION} through ${LANGUAGE_VERSION}.`
        );
      }
      this.language = language;
    } else {
      throw new Error("Argument must be a Language");
    }
    C._ts_parser_set_language(this[0], address);
    return this;
  }
  /**
   * Parse a slice of UTF8 text.
   *
   * @param {string | ParseCallback} callback - The UTF8-encoded text to parse or a callback function.
   *
   * @param {Tree | null} [oldTree] - A previous syntax tree parsed from the same document. If the text of the
   *   document has changed since `oldTree` was created, then you must edit `oldTree` to match
   *   the new text using {@link Tree#edit}.
   *
   * @param {ParseOptions} [options] - Options for parsing the text.
   *  This can be used to set the included ranges, or a progress callback.
   *
   * @returns {Tree | null} A {@link Tree} if parsing succeeded, or `null` if:
   *  - The parser has not yet had a language assigned with {@link Parser#setLanguage}.
   *  - The progress callback returned true.
   */
  parse(callback, oldTree, options) {
    if (typeof callback === "string") {
      C.currentParseCallback = (index) => callback.slice(index);
    } else if (typeof callback === "function") {
      C.currentParseCallback = callback;
    } else {
      throw new Error("Argument must be a string or a function");
    }
    if (options?.progressCallback) {
      C.currentProgressCallback = options.progressCallback;
    } else {
      C.currentProgressCallback = null;
    }
    if (this.logCallback) {
      C.currentLogCallback = this.logCallback;
      C._ts_parser_enable_logger_wasm(this[0], 1);
    } else {
      C.currentLogCallback = null;
      C._ts_parser_enable_logger_wasm(this[0], 0);
    }
    let rangeCount = 0;
    let rangeAddress = 0;
    if (options?.includedRanges) {
      rangeCount = options.includedRanges.length;
      rangeAddress = C._calloc(rangeCount, SIZE_OF_RANGE);
      let address = rangeAddress;
      for (let i2 = 0; i2 < rangeCount; i2++) {
        marshalRange(address, options.includedRanges[i2]);
        address += SIZE_OF_RANGE;
      }
    }
    const treeAddress = C._ts_parser_parse_wasm(
      this[0],
      this[1],
      oldTree ? oldTree[0] : 0,
      rangeAddress,
      rangeCount
    );
    if (!treeAddress) {
      C.currentParseCallback = null;
      C.currentLogCallback = null;
      C.currentProgressCallback = null;
      return null;
    }
    if (!this.language) {
      throw new Error("Parser must have a language to parse");
    }
    const result = new Tree(INTERNAL, treeAddress, this.language, C.currentParseCallback);
    C.currentParseCallback = null;
    C.currentLogCallback = null;
    C.currentProgressCallback = null;
    return result;
  }
  /**
   * Instruct the parser to start the next parse from the beginning.
   *
   * If the parser previously failed because of a timeout, cancellation,
   * or callback, then by default, it will resume where it left off on the
   * next call to {@link Parser#parse} or other parsing functions.
   * If you don't want to resume, and instead intend to use this parser to
   * parse some other document, you must call `reset` first.
   */
  reset() {
    C._ts_parser_reset(this[0]);
  }
  /** Get the ranges of text that the parser will include when parsing. */
  getIncludedRanges() {
    C._ts_parser_included_ranges_wasm(this[0]);
    const count = C.getValue(TRANSFER_BUFFER, "i32");
    const buffer = C.getValue(TRANSFER_BUFFER + SIZE_OF_INT, "i32");
    const result = new Array(count);
    if (count > 0) {
      let address = buffer;
      for (let i2 = 0; i2 < count; i2++) {
        result[i2] = unmarshalRange(address);
        address += SIZE_OF_RANGE;
      }
      C._free(buffer);
    }
    return result;
  }
  /**
   * @deprecated since version 0.25.0, prefer passing a progress callback to {@link Parser#parse}
   *
   * Get the duration in microseconds that parsing is allowed to take.
   *
   * This is set via {@link Parser#setTimeoutMicros}.
   */
  getTimeoutMicros() {
    return C._ts_parser_timeout_micros(this[0]);
  }
  /**
   * @deprecated since version 0.25.0, prefer passing a progress callback to {@link Parser#parse}
   *
   * Set the maximum duration in microseconds that parsing should be allowed
   * to take before halting.
   *
   * If parsing takes longer than this, it will halt early, returning `null`.
   * See {@link Parser#parse} for more information.
   */
  setTimeoutMicros(timeout) {
    C._ts_parser_set_timeout_micros(this[0], 0, timeout);
  }
  /** Set the logging callback that a parser should use during parsing. */
  setLogger(callback) {
    if (!callback) {
      this.logCallback = null;
    } else if (typeof callback !== "function") {
      throw new Error("Logger callback must be a function");
    } else {
      this.logCallback = callback;
    }
    return this;
  }
  /** Get the parser's current logger. */
  getLogger() {
    return this.logCallback;
  }
};

// src/core/shell/parser.ts
var parser;
async function initShellParser(wasm) {
  if (parser) return;
  await Parser.init({ wasmBinary: wasm.runtime });
  const lang = await Language.load(wasm.bash);
  const p = new Parser();
  p.setLanguage(lang);
  parser = p;
}
function shellParserReady() {
  return parser !== void 0;
}
var WRAPPERS = /* @__PURE__ */ new Set(["sudo", "env", "nohup", "time", "exec", "doas", "gosu", "su-exec", "chroot", "xargs"]);
var VALUE_OPTIONS = {
  sudo: /* @__PURE__ */ new Set(["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U"]),
  xargs: /* @__PURE__ */ new Set(["-n", "-P", "-I", "-L", "-d", "-a", "-s", "-E"]),
  env: /* @__PURE__ */ new Set(["-u", "-C", "-S"]),
  exec: /* @__PURE__ */ new Set(["-a"]),
  time: /* @__PURE__ */ new Set(["-f", "-o"]),
  doas: /* @__PURE__ */ new Set(["-u", "-C"])
};
var WRAPPER_OPERANDS = { gosu: 1, "su-exec": 1, chroot: 1 };
function wordText(cursor) {
  const t = cursor.nodeType;
  if (t === "string" || t === "raw_string") {
    const s2 = cursor.nodeText;
    return s2.length >= 2 ? s2.slice(1, -1) : s2;
  }
  if (t === "concatenation") {
    let s2 = "";
    if (cursor.gotoFirstChild()) {
      do
        s2 += wordText(cursor);
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return s2;
  }
  const s = cursor.nodeText;
  return t === "word" && s.includes("\\") ? s.replace(/\\(.)/g, "$1") : s;
}
var ARG_TYPES = /* @__PURE__ */ new Set([
  "word",
  "string",
  "raw_string",
  "concatenation",
  "simple_expansion",
  "expansion",
  "number",
  "command_substitution",
  "ansi_c_string",
  "translated_string",
  "process_substitution"
]);
function programName(name2) {
  const slash = name2.lastIndexOf("/");
  return (slash >= 0 ? name2.slice(slash + 1) : name2).toLowerCase();
}
function readCommand(cursor) {
  const offset = cursor.startIndex;
  let name2;
  const args2 = [];
  const assignments = [];
  if (cursor.gotoFirstChild()) {
    do {
      const t = cursor.nodeType;
      if (t === "variable_assignment") assignments.push(cursor.nodeText);
      else if (t === "command_name") {
        if (cursor.gotoFirstChild()) {
          name2 = wordText(cursor);
          cursor.gotoParent();
        } else name2 = cursor.nodeText;
      } else if (name2 !== void 0 && ARG_TYPES.has(t)) args2.push(wordText(cursor));
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  if (name2 === void 0) return void 0;
  const wrappers = [];
  let rest = args2;
  while (WRAPPERS.has(name2) && rest.length > 0) {
    wrappers.push(name2);
    let k = 0;
    const valued = VALUE_OPTIONS[name2];
    while (k < rest.length && (rest[k].startsWith("-") || name2 === "env" && rest[k].includes("="))) {
      if (name2 === "env" && !rest[k].startsWith("-")) assignments.push(rest[k]);
      if (valued?.has(rest[k])) k++;
      k++;
    }
    k += WRAPPER_OPERANDS[name2] ?? 0;
    if (k >= rest.length) break;
    name2 = rest[k];
    rest = rest.slice(k + 1);
  }
  return { name: name2, program: programName(name2), args: rest, wrappers, assignments, offset, line: 0 };
}
function parseShell(script) {
  if (!parser) throw new Error("shell parser not initialised: call initShellParser() first");
  const tree = parser.parse(script);
  if (!tree) return { commands: [], pipelines: 0, hasErrors: true };
  const commands = [];
  let pipelines = 0;
  const hasErrors = tree.rootNode.hasError;
  const cursor = tree.walk();
  const visit = (group) => {
    const t = cursor.nodeType;
    let childGroup;
    if (t === "command") {
      const cmd = readCommand(cursor);
      if (cmd) {
        if (group) {
          group.push(cmd);
          cmd.pipeline = group;
        }
        commands.push(cmd);
      }
    } else if (t === "declaration_command") {
      const assignments = [];
      let name2 = "export";
      const offset = cursor.startIndex;
      if (cursor.gotoFirstChild()) {
        name2 = cursor.nodeText;
        do
          if (cursor.nodeType === "variable_assignment") assignments.push(cursor.nodeText);
        while (cursor.gotoNextSibling());
        cursor.gotoParent();
      }
      commands.push({ name: name2, program: name2, args: [], wrappers: [], assignments, offset, line: 0 });
    } else if (t === "pipeline") {
      pipelines++;
      childGroup = [];
    }
    if (cursor.gotoFirstChild()) {
      do
        visit(childGroup);
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
  };
  visit(void 0);
  cursor.delete();
  tree.delete();
  return { commands, pipelines, hasErrors };
}
function cloneScript(s) {
  const map = /* @__PURE__ */ new Map();
  const commands = s.commands.map((c) => {
    const copy = { ...c };
    map.set(c, copy);
    return copy;
  });
  const groups = /* @__PURE__ */ new Map();
  for (const c of commands) {
    if (!c.pipeline) continue;
    let g = groups.get(c.pipeline);
    if (!g) {
      g = c.pipeline.map((x) => map.get(x));
      groups.set(c.pipeline, g);
    }
    c.pipeline = g;
  }
  return { commands, pipelines: s.pipelines, hasErrors: s.hasErrors };
}

// src/core/rules/util/misc.ts
function baseName(name2) {
  const parts2 = name2.split(/[\\/]/);
  return (parts2[parts2.length - 1] ?? name2).toLowerCase();
}
function commandName(cmd) {
  return cmd.program;
}
var POSIX_SHELL_NAMES = /* @__PURE__ */ new Set(["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"]);
function isShellName(name2) {
  return POSIX_SHELL_NAMES.has(name2);
}
function inlineScriptArg(cmd) {
  if (!isShellName(commandName(cmd))) return void 0;
  const a = cmd.args;
  for (let k = 0; k < a.length; k++) {
    const arg = a[k];
    if (arg === "--" || !arg.startsWith("-")) return void 0;
    if (arg === "-o" || arg === "+o") {
      k++;
      continue;
    }
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(arg)) return a[k + 1];
  }
  return void 0;
}
var MAX_NESTING = 3;
function* withNested(instr, script, nested, depth) {
  for (const cmd of script.commands) {
    yield { instr, cmd, script, nested };
    if (depth >= MAX_NESTING) continue;
    const inner = inlineScriptArg(cmd);
    if (!inner || inner.includes("$(") || inner.includes("`")) continue;
    const sub = parseShell(inner);
    for (const c of sub.commands) c.line = cmd.line;
    yield* withNested(instr, sub, true, depth + 1);
  }
}
function* runCommandsDeep(model, instrs = model.instructions) {
  for (const instr of instrs) {
    if (instr.keyword !== "RUN") continue;
    const script = model.shellOf(instr);
    if (!script) continue;
    yield* withNested(instr, script, false, 0);
  }
}
function substitutionScript(arg) {
  const t = arg.trim();
  if ((t.startsWith("$(") || t.startsWith("<(")) && t.endsWith(")") && !t.startsWith("$((")) return t.slice(2, -1);
  if (t.length > 1 && t.startsWith("`") && t.endsWith("`")) return t.slice(1, -1);
  return void 0;
}
function substitutionCommands(arg) {
  const inner = substitutionScript(arg);
  if (inner === void 0) return [];
  return parseShell(inner).commands;
}
function shortFlags(arg) {
  return /^-[a-zA-Z0-9]+$/.test(arg) ? arg.slice(1) : "";
}
function copyArgs(instr) {
  const make = (text, line) => {
    const sub = instr.resolve(text);
    return { text, value: sub.value, unresolved: sub.unresolved, line };
  };
  const args2 = instr.json ? instr.json.map((t) => make(t, instr.line)) : instr.words.map((w) => make(w.value, instr.lineAt(instr.restOffset + w.offset)));
  if (args2.length === 0) return { sources: [] };
  return { sources: args2.slice(0, -1), dest: args2[args2.length - 1] };
}
function isRemoteSource(src) {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(src) || /^[\w.-]+@[\w.-]+:/.test(src) || /^github\.com\//i.test(src);
}
function isHttpUrl(src) {
  return /^https?:\/\//i.test(src);
}
function isGitSource(src) {
  if (/^(git|ssh|git\+ssh|git\+https?):\/\//i.test(src) || /^[\w.-]+@[\w.-]+:/.test(src) || /^github\.com\//i.test(src)) return true;
  const noFragment = src.split("#")[0].replace(/\/+$/, "");
  return isHttpUrl(src) && /\.git$/i.test(noFragment);
}
var ARCHIVE_RE = /\.(tar|tar\.(gz|bz2|xz|lz|lzma|z|zst|zstd)|tgz|tb2|tbz|tbz2|tlz|txz|tz|taz|tzst|tpz|gz|bz2|xz|lz|lzma|z|zst)$/i;
function isArchiveName(src) {
  return ARCHIVE_RE.test(src);
}
function isHeredocSource(src) {
  return /^<<-?/.test(src);
}
function worldWritableMode(mode) {
  const m = mode.trim();
  if (/^[0-7]{1,4}$/.test(m)) {
    const n = parseInt(m, 8);
    if (n & 512) return false;
    return (n & 2) !== 0;
  }
  if (!/^[ugoa]*[-+=][rwxXst]*([-+=][rwxXst]*)*(,[ugoa]*[-+=][rwxXst]*([-+=][rwxXst]*)*)*$/.test(m)) return false;
  let ww = false;
  let sticky = false;
  for (const clause of m.split(",")) {
    const who = /^[ugoa]*/.exec(clause)?.[0] ?? "";
    const ops = clause.slice(who.length);
    for (const op of ops.match(/[-+=][rwxXst]*/g) ?? []) {
      const perms = op.slice(1);
      const adds = op[0] === "+" || op[0] === "=";
      if (adds && perms.includes("t")) sticky = true;
      if (adds && perms.includes("w") && (who.includes("o") || who.includes("a"))) ww = true;
    }
  }
  return ww && !sticky;
}
function stageOf(model, instr) {
  return instr.stage >= 0 ? model.stages[instr.stage] : void 0;
}
function stageAncestry(model, stage) {
  const out2 = [];
  const seen = /* @__PURE__ */ new Set();
  let s = stage;
  while (s && !seen.has(s.index)) {
    out2.push(s);
    seen.add(s.index);
    s = s.from.stageRef !== void 0 ? model.stages[s.from.stageRef] : void 0;
  }
  return out2;
}
function replaceKeyword(model, instr, keyword) {
  const text = model.lines[instr.line - 1];
  if (text === void 0) return void 0;
  const start2 = instr.column - 1;
  const found = text.slice(start2, start2 + instr.keyword.length);
  if (found.toUpperCase() !== instr.keyword) return void 0;
  const replacement2 = found === found.toLowerCase() ? keyword.toLowerCase() : keyword;
  return text.slice(0, start2) + replacement2 + text.slice(start2 + instr.keyword.length);
}
function jsonArray(items) {
  return "[" + items.map((s) => JSON.stringify(s)).join(", ") + "]";
}
function clip(s, max = 60) {
  return s.length > max ? s.slice(0, max - 1) + "\u2026" : s;
}
function exposedPorts(instr) {
  const out2 = [];
  for (const w of instr.words) {
    const sub = instr.resolve(w.value);
    if (sub.unresolved.length > 0) continue;
    for (const value of sub.value.trim().split(/\s+/)) {
      const m = /^(\d+)(?:-(\d+))?(?:\/([A-Za-z]+))?$/.exec(value);
      if (!m) continue;
      const start2 = Number(m[1]);
      out2.push({
        text: w.value,
        value,
        start: start2,
        end: m[2] === void 0 ? start2 : Number(m[2]),
        protocol: m[3]?.toLowerCase(),
        line: instr.lineAt(instr.restOffset + w.offset)
      });
    }
  }
  return out2;
}
function repeatedInStage(model, keyword) {
  const out2 = [];
  for (const stage of model.stages) {
    const list2 = stage.instructions.filter((i2) => i2.keyword === keyword);
    if (list2.length > 1) out2.push(list2);
  }
  return out2;
}

// src/core/rules/add-instead-of-copy.ts
var ADD_ONLY_FLAGS = /* @__PURE__ */ new Set(["checksum", "keep-git-dir", "unpack"]);
function classify(src) {
  if (isHeredocSource(src.text)) return "local";
  if (isRemoteSource(src.value) || isArchiveName(src.value)) return "special";
  if (src.unresolved.length > 0) {
    const last = src.value.split("/").pop() ?? "";
    if (src.value.startsWith("$") || last.includes("$")) return "unknown";
  }
  return "local";
}
var add_instead_of_copy_default = defineRule({
  meta: {
    id: "add-instead-of-copy",
    aliases: ["DL3020", "DS-0005", "CKV_DOCKER_4"],
    severity: "error",
    title: "Use COPY instead of ADD for local files and directories",
    description: [
      "`ADD` does more than copy: it downloads URLs, clones Git repositories and silently extracts local tar archives. For plain files and directories from the build context that magic is a liability: a file that happens to be a tar archive gets unpacked, and readers cannot tell what the instruction is meant to do.",
      "",
      "Use `COPY` for local files and directories; it takes the same `--chown`, `--chmod`, `--link` and `--from` flags. Keep `ADD` for the cases only it handles: remote URLs and Git sources (see `add-url-checksum`) and local tar archives (`.tar`, `.tar.gz`, `.tgz`, `.tar.bz2`, `.tar.xz`, `.tar.zst` \u2026) that you want extracted.",
      "",
      "A source whose name hides behind a variable that has no value (`ADD ${SRC} /app/`, `ADD app.${EXT} /opt/`) is not reported, since it may be a URL or an archive. When every source is a plain local path, the finding carries a fix that replaces `ADD` with `COPY`."
    ].join("\n"),
    bad: "FROM alpine:3.20\nADD requirements.txt /app/",
    good: "FROM alpine:3.20\nCOPY requirements.txt /app/\nADD rootfs.tar.gz /",
    tags: ["best-practice", "security", "cis:4.9"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== "ADD") continue;
      const { sources } = copyArgs(instr);
      if (sources.length === 0) continue;
      const kinds = sources.map(classify);
      const local = sources.filter((_, k) => kinds[k] === "local");
      if (local.length === 0) continue;
      const names = local.map((s) => clip(s.text, 40)).join(", ");
      const allLocal = local.length === sources.length;
      const convertible = allLocal && !instr.flags.some((f) => ADD_ONLY_FLAGS.has(f.name));
      const replacement2 = convertible ? replaceKeyword(model, instr, "COPY") : void 0;
      const message = allLocal ? `ADD of local ${local.length > 1 ? "paths" : "path"} ${names}: use COPY instead (ADD is only for URLs, Git sources and tar archives to extract)` : `ADD mixes local ${local.length > 1 ? "paths" : "path"} ${names} with URLs or archives: move the local ${local.length > 1 ? "paths" : "path"} to a separate COPY`;
      report({
        line: instr.line,
        column: instr.column,
        message,
        fix: replacement2 === void 0 ? void 0 : { line: instr.line, endLine: instr.line, replacement: replacement2, description: "Replace ADD with COPY" }
      });
    }
  }
});

// src/core/rules/add-url-checksum.ts
function gitRef(src) {
  const hash = src.indexOf("#");
  if (hash < 0) return void 0;
  const frag = src.slice(hash + 1);
  const kv = /(?:^|&)ref=([^&]*)/.exec(frag);
  if (kv) return kv[1];
  return frag.split(":")[0] || void 0;
}
var COMMIT_RE = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;
var add_url_checksum_default = defineRule({
  meta: {
    id: "add-url-checksum",
    aliases: [],
    severity: "warning",
    title: "ADD of a remote URL without a checksum or pinned commit",
    description: [
      "`ADD https://\u2026` downloads whatever the server returns at build time. If the file changes (a re-tagged release, a compromised mirror, a man-in-the-middle on plain HTTP), the image silently changes with it and the build is not reproducible.",
      "",
      "Pin the content:",
      "",
      '- HTTP(S) sources: add `--checksum=sha256:<digest>` (Dockerfile syntax 1.6 or later), so the build fails when the bytes differ: `ADD --checksum=sha256:24454f83\u2026 https://example.com/tool.tar.gz /tmp/`. Or download in a `RUN` and verify: `RUN curl -fsSLo /tmp/tool.tgz https://\u2026 && echo "<sha256>  /tmp/tool.tgz" | sha256sum -c -`.',
      "- Git sources (`https://\u2026/repo.git#ref`, `git@host:repo.git`): branches and tags can move, so pin a full commit SHA in the fragment (`#4f1c3c0\u2026`, 40 hex digits) or add `--checksum=<commit sha>` to check the ref resolves to that commit.",
      "",
      "A source hidden behind a variable without value is not reported."
    ].join("\n"),
    bad: "FROM alpine:3.20\nADD https://example.com/tool-1.2.tar.gz /tmp/",
    good: "FROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool-1.2.tar.gz /tmp/",
    tags: ["security", "supply-chain", "reproducibility"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== "ADD") continue;
      const checksum = instr.flags.find((f) => f.name === "checksum" && f.value);
      if (checksum) continue;
      for (const src of copyArgs(instr).sources) {
        const url = src.value;
        if (src.unresolved.length > 0 && url.startsWith("$")) continue;
        if (isGitSource(url)) {
          const ref = gitRef(url);
          if (ref && COMMIT_RE.test(ref)) continue;
          report({
            line: src.line,
            column: instr.column,
            message: ref ? `ADD of Git source ${clip(src.text)} at ref "${ref}", which can move: pin a full commit SHA (#<40-hex commit>) or add --checksum=<commit sha>` : `ADD of Git source ${clip(src.text)} without a ref takes whatever the default branch holds: pin a full commit SHA (#<40-hex commit>) or add --checksum=<commit sha>`
          });
        } else if (isHttpUrl(url)) {
          report({
            line: src.line,
            column: instr.column,
            message: `ADD of ${clip(src.text)}${src.value !== src.text ? ` (= ${clip(src.value)})` : ""} without --checksum: add --checksum=sha256:<digest>, or download with RUN curl -fsSLo <file> <url> && echo "<sha256>  <file>" | sha256sum -c -`
          });
        }
      }
    }
  }
});

// node_modules/balanced-match/dist/esm/index.js
var range = (a, b, str) => {
  let begs, beg, left, right = void 0, result;
  let ai = str.indexOf(a);
  let bi = str.indexOf(b, ai + 1);
  let i2 = ai;
  if (ai >= 0 && bi > 0) {
    if (a === b) {
      return [ai, bi];
    }
    begs = [];
    left = str.length;
    while (i2 >= 0 && !result) {
      if (i2 === ai) {
        begs.push(i2);
        ai = str.indexOf(a, i2 + 1);
      } else if (begs.length === 1) {
        const r = begs.pop();
        if (r !== void 0)
          result = [r, bi];
      } else {
        beg = begs.pop();
        if (beg !== void 0 && beg < left) {
          left = beg;
          right = bi;
        }
        bi = str.indexOf(b, i2 + 1);
      }
      i2 = ai < bi && ai >= 0 ? ai : bi;
    }
    if (begs.length && right !== void 0) {
      result = [left, right];
    }
  }
  return result;
};

// node_modules/brace-expansion/dist/esm/index.js
var escSlash = "\0SLASH" + Math.random().toFixed(16) + "\0";
var escOpen = "\0OPEN" + Math.random().toFixed(16) + "\0";
var escClose = "\0CLOSE" + Math.random().toFixed(16) + "\0";
var escComma = "\0COMMA" + Math.random().toFixed(16) + "\0";
var escPeriod = "\0PERIOD" + Math.random().toFixed(16) + "\0";
var escSlashPattern = new RegExp(escSlash, "g");
var escOpenPattern = new RegExp(escOpen, "g");
var escClosePattern = new RegExp(escClose, "g");
var escCommaPattern = new RegExp(escComma, "g");
var escPeriodPattern = new RegExp(escPeriod, "g");
var slashPattern = /\\\\/g;
var openPattern = /\\{/g;
var closePattern = /\\}/g;
var commaPattern = /\\,/g;
var periodPattern = /\\\./g;
var EXPANSION_MAX = 1e5;
var EXPANSION_MAX_LENGTH = 4e6;
var EXPANSION_MAX_DEPTH = 1e3;
var EXPANSION_MAX_REWRITES = 1e3;
var EXPANSION_MAX_STEPS = 2e7;
var CALL_STEPS = 16;
function numeric(str) {
  return !isNaN(str) ? parseInt(str, 10) : str.charCodeAt(0);
}
function escapeBraces(str) {
  return str.replace(slashPattern, escSlash).replace(openPattern, escOpen).replace(closePattern, escClose).replace(commaPattern, escComma).replace(periodPattern, escPeriod);
}
function unescapeBraces(str) {
  return str.replace(escSlashPattern, "\\").replace(escOpenPattern, "{").replace(escClosePattern, "}").replace(escCommaPattern, ",").replace(escPeriodPattern, ".");
}
function pushAll(target, items) {
  for (let i2 = 0; i2 < items.length; i2++) {
    target.push(items[i2]);
  }
}
function balancedWithBudget(str, masked, budget) {
  if (budget.remaining < 0) {
    return void 0;
  }
  const r = range("{", "}", masked);
  const unmatched = r !== void 0 && masked.indexOf("{") < r[0];
  budget.remaining -= r && !unmatched ? r[1] + 1 : str.length;
  if (!r || budget.remaining < 0) {
    return void 0;
  }
  return {
    end: r[1],
    pre: str.slice(0, r[0]),
    body: str.slice(r[0] + 1, r[1]),
    post: str.slice(r[1] + 1),
    unmatched
  };
}
function maskUnmatchedOpens(masked, budget) {
  budget.remaining -= masked.length;
  const open2 = [];
  for (let i2 = 0; i2 < masked.length; i2++) {
    const c = masked.charCodeAt(i2);
    if (c === 123) {
      open2.push(i2);
    } else if (c === 125 && open2.length) {
      open2.pop();
    }
  }
  let out2 = "";
  let last = 0;
  for (let i2 = 0; i2 < open2.length; i2++) {
    const at = open2[i2];
    out2 += masked.slice(last, at) + "\0";
    last = at + 1;
  }
  return out2 + masked.slice(last);
}
function commaSetFollows(str, budget) {
  budget.remaining -= str.length;
  if (budget.remaining < 0) {
    return false;
  }
  let close = false;
  for (let i2 = str.length - 1; i2 >= 0; i2--) {
    const c = str.charCodeAt(i2);
    if (c === 125) {
      close = true;
    } else if (c === 10 || c === 13 || c === 8232 || c === 8233) {
      close = false;
    } else if (c === 44 && close && str.charCodeAt(i2 + 1) !== 44) {
      return true;
    }
  }
  return false;
}
function parseCommaParts(str, budget) {
  const parts2 = [];
  let carry = "";
  for (; ; ) {
    const m = balancedWithBudget(str, str, budget);
    if (budget.remaining < 0) {
      return void 0;
    }
    if (!m) {
      const tail = str.split(",");
      tail[0] = carry + tail[0];
      pushAll(parts2, tail);
      return parts2;
    }
    const { pre, body: body2, post } = m;
    const p = pre.split(",");
    p[0] = carry + p[0];
    p[p.length - 1] += "{" + body2 + "}";
    if (!post.length) {
      pushAll(parts2, p);
      return parts2;
    }
    carry = p.pop();
    pushAll(parts2, p);
    str = post;
  }
}
function bound(value, fallback) {
  return value === void 0 || isNaN(value) ? fallback : value;
}
function expand(str, options = {}) {
  if (!str) {
    return [];
  }
  const max = bound(options.max, EXPANSION_MAX);
  const maxLength = bound(options.maxLength, EXPANSION_MAX_LENGTH);
  const maxDepth = bound(options.maxDepth, EXPANSION_MAX_DEPTH);
  const maxRewrites = bound(options.maxRewrites, EXPANSION_MAX_REWRITES);
  const maxSteps = bound(options.maxSteps, EXPANSION_MAX_STEPS);
  if (str.slice(0, 2) === "{}") {
    str = "\\{\\}" + str.slice(2);
  }
  return expand_(escapeBraces(str), max, maxLength, maxDepth, 0, maxRewrites, { remaining: maxSteps }, true).map(unescapeBraces);
}
function embrace(str) {
  return "{" + str + "}";
}
function isPadded(el) {
  return /^-?0\d/.test(el);
}
function lte(i2, y) {
  return i2 <= y;
}
function gte(i2, y) {
  return i2 >= y;
}
function combine(acc, pre, values, max, maxLength, dropEmpties, budget) {
  const out2 = [];
  let length = 0;
  let nonEmpty;
  outer: for (let a = 0; a < acc.length; a++) {
    const prefix2 = acc[a] + pre;
    let vs = values;
    if (dropEmpties && !prefix2) {
      if (!nonEmpty)
        nonEmpty = values.filter((v) => v);
      vs = nonEmpty;
    }
    for (let v = 0; v < vs.length; v++) {
      if (out2.length >= max)
        break outer;
      const expansion = prefix2 + vs[v];
      if (length + expansion.length > maxLength)
        break outer;
      out2.push(expansion);
      length += expansion.length;
    }
  }
  budget.remaining -= out2.length;
  return out2;
}
function expandSequence(body2, isAlphaSequence, max, maxLength, budget) {
  const n = body2.split(/\.\./);
  const N = [];
  if (n[0] === void 0 || n[1] === void 0) {
    return N;
  }
  const x = numeric(n[0]);
  const y = numeric(n[1]);
  const width = Math.max(n[0].length, n[1].length);
  let incr = n.length === 3 && n[2] !== void 0 ? Math.max(Math.abs(numeric(n[2])), 1) : 1;
  let test = lte;
  const reverse = y < x;
  if (reverse) {
    incr *= -1;
    test = gte;
  }
  const pad = n.some(isPadded);
  const cost = pad ? width : 1;
  let length = 0;
  for (let i2 = x; test(i2, y) && N.length < max; i2 += incr) {
    budget.remaining -= cost;
    if (budget.remaining < 0) {
      return void 0;
    }
    let c;
    if (isAlphaSequence) {
      c = String.fromCharCode(i2);
      if (c === "\\") {
        c = "";
      }
    } else {
      c = String(i2);
      if (pad) {
        const need = width - c.length;
        if (need > 0) {
          const z = new Array(need + 1).join("0");
          if (i2 < 0) {
            c = "-" + z + c.slice(1);
          } else {
            c = z + c;
          }
        }
      }
    }
    if (length + c.length > maxLength)
      break;
    N.push(c);
    length += c.length;
  }
  return N;
}
function expand_(str, max, maxLength, maxDepth, depth, maxRewrites, budget, isTop) {
  budget.remaining -= CALL_STEPS;
  if (depth > maxDepth) {
    return [str];
  }
  let acc = [""];
  let rewrites = 0;
  let dropEmpties = false;
  let firstGroup = true;
  let masked = str;
  for (; ; ) {
    const m = balancedWithBudget(str, masked, budget);
    if (!m) {
      return combine(acc, str, [""], max, maxLength, dropEmpties, budget);
    }
    if (m.unmatched) {
      masked = maskUnmatchedOpens(masked, budget);
    }
    const pre = m.pre;
    const literal2 = () => combine(acc, pre + "{" + m.body + "}" + m.post, [""], max, maxLength, dropEmpties, budget);
    if (/\$$/.test(pre)) {
      acc = combine(acc, pre + "{" + m.body + "}", [""], max, maxLength, dropEmpties && !m.post.length, budget);
      firstGroup = false;
      if (!m.post.length)
        break;
      str = m.post;
      masked = masked.slice(m.end + 1);
      continue;
    }
    const isNumericSequence = /^-?\d+\.\.-?\d+(?:\.\.-?\d+)?$/.test(m.body);
    const isAlphaSequence = /^[a-zA-Z]\.\.[a-zA-Z](?:\.\.-?\d+)?$/.test(m.body);
    const isSequence = isNumericSequence || isAlphaSequence;
    const isOptions = m.body.indexOf(",") >= 0;
    if (!isSequence && !isOptions) {
      if (rewrites < maxRewrites && commaSetFollows(m.post, budget)) {
        rewrites++;
        str = m.pre + "{" + m.body + escClose + m.post;
        masked = masked.slice(0, m.end) + escClose + masked.slice(m.end + 1);
        isTop = true;
        continue;
      }
      return literal2();
    }
    if (firstGroup) {
      dropEmpties = isTop && !isSequence;
      firstGroup = false;
    }
    let values;
    if (isSequence) {
      values = expandSequence(m.body, isAlphaSequence, max, maxLength, budget);
      if (!values) {
        return literal2();
      }
    } else {
      let n = parseCommaParts(m.body, budget);
      if (!n) {
        return literal2();
      }
      if (n.length === 1 && n[0] !== void 0) {
        n = expand_(n[0], max, maxLength, maxDepth, depth + 1, maxRewrites, budget, false).map(embrace);
        if (budget.remaining < 0) {
          return literal2();
        }
        if (n.length === 1) {
          const next2 = combine(acc, pre + n[0], [""], max, maxLength, dropEmpties && !m.post.length, budget);
          if (budget.remaining < 0) {
            return literal2();
          }
          acc = next2;
          if (!m.post.length)
            break;
          str = m.post;
          masked = masked.slice(m.end + 1);
          continue;
        }
      }
      let dropsEmpties = dropEmpties && !m.post.length && !pre;
      for (let d = 0; dropsEmpties && d < acc.length; d++) {
        if (acc[d]) {
          dropsEmpties = false;
        }
      }
      values = [];
      let valuesLength = 0;
      outer: for (let j = 0; j < n.length; j++) {
        const expanded = expand_(n[j], max, maxLength, maxDepth, depth + 1, maxRewrites, budget, false);
        if (budget.remaining < 0) {
          return literal2();
        }
        for (let k = 0; k < expanded.length; k++) {
          const v = expanded[k];
          if (dropsEmpties && !v)
            continue;
          if (values.length >= max || valuesLength + v.length > maxLength) {
            break outer;
          }
          values.push(v);
          valuesLength += v.length;
        }
      }
    }
    const next = combine(acc, pre, values, max, maxLength, dropEmpties && !m.post.length, budget);
    if (budget.remaining < 0) {
      return literal2();
    }
    acc = next;
    if (!m.post.length)
      break;
    str = m.post;
    masked = masked.slice(m.end + 1);
  }
  return acc;
}

// node_modules/@isaacs/nonrecursive-glob-match/dist/esm/numeric-range.js
var digit = (a, b) => a === b ? { t: "lit", ch: String(a) } : { t: "class", re: new RegExp(`^[${a}-${b}]$`) };
var prefix = (d, alts) => alts.map((s) => [digit(d, d), ...s]);
var fixed = (a, b) => {
  if (!a)
    return [[]];
  let lo = +a[0];
  let hi = +b[0];
  const ra = a.slice(1);
  const rb = b.slice(1);
  if (lo === hi)
    return prefix(lo, fixed(ra, rb));
  const zeros = "0".repeat(ra.length);
  const nines = "9".repeat(ra.length);
  const out2 = [];
  if (ra !== zeros)
    out2.push(...prefix(lo++, fixed(ra, nines)));
  const last = rb === nines ? [] : prefix(hi--, fixed(zeros, rb));
  if (lo <= hi) {
    out2.push([digit(lo, hi), ...Array.from(ra, () => digit(0, 9))]);
  }
  out2.push(...last);
  return out2;
};
var nonneg = (a, b, width) => {
  if (width) {
    return fixed(String(a).padStart(width, "0"), String(b).padStart(width, "0"));
  }
  const out2 = [];
  for (let len = String(a).length; len <= String(b).length; len++) {
    const lo = Math.max(a, len === 1 ? 0 : 10 ** (len - 1));
    const hi = Math.min(b, 10 ** len - 1);
    out2.push(...fixed(String(lo), String(hi)));
  }
  return out2;
};
var numericRange = (loStr, hiStr) => {
  let lo = Number(loStr);
  let hi = Number(hiStr);
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi))
    return;
  if (lo > hi)
    [lo, hi] = [hi, lo];
  const padded = /^-?0\d/.test(loStr) || /^-?0\d/.test(hiStr);
  const width = padded ? Math.max(loStr.length, hiStr.length) : 0;
  const out2 = [];
  if (lo < 0) {
    const neg = nonneg(Math.max(-hi, 1), -lo, width && width - 1);
    out2.push(...neg.map((s) => [{ t: "lit", ch: "-" }, ...s]));
  }
  if (hi >= 0)
    out2.push(...nonneg(Math.max(lo, 0), hi, width));
  return out2;
};

// node_modules/@isaacs/nonrecursive-glob-match/dist/esm/parse-class.js
var posixClasses = {
  "[:alnum:]": ["\\p{L}\\p{Nl}\\p{Nd}"],
  "[:alpha:]": ["\\p{L}\\p{Nl}"],
  "[:ascii:]": ["\\x00-\\x7f"],
  "[:blank:]": ["\\p{Zs}\\t"],
  "[:cntrl:]": ["\\p{Cc}"],
  "[:digit:]": ["\\p{Nd}"],
  "[:graph:]": ["\\p{Z}\\p{C}", true],
  "[:lower:]": ["\\p{Ll}"],
  "[:print:]": ["\\p{C}", true],
  "[:punct:]": ["\\p{P}\\p{S}"],
  "[:space:]": ["\\p{Z}\\t\\r\\n\\v\\f"],
  "[:upper:]": ["\\p{Lu}"],
  "[:word:]": ["\\p{L}\\p{Nl}\\p{Nd}\\p{Pc}"],
  "[:xdigit:]": ["A-Fa-f0-9"]
};
var braceEscape = (s) => s.replace(/[[\]\\-]/g, "\\$&");
var noMatch = /$./;
var parseClass = (glob, position, nocase = false, form) => {
  const norm = (c) => {
    const n = form ? c.normalize(form) : c;
    return [...n].length === 1 ? n : c;
  };
  const pos2 = position;
  if (glob.charAt(pos2) !== "[") {
    throw new Error("not in a brace expression");
  }
  const ranges = [];
  const negs = [];
  let i2 = pos2 + 1;
  let sawStart = false;
  let escaping = false;
  let negate = false;
  let endPos = pos2;
  let rangeStart = "";
  WHILE: while (i2 < glob.length) {
    const c = String.fromCodePoint(glob.codePointAt(i2));
    if ((c === "!" || c === "^") && i2 === pos2 + 1) {
      negate = true;
      i2++;
      continue;
    }
    if (c === "]" && sawStart && !escaping) {
      endPos = i2 + 1;
      break;
    }
    sawStart = true;
    if (c === "\\") {
      if (!escaping) {
        escaping = true;
        i2++;
        continue;
      }
    }
    if (c === "[" && !escaping) {
      for (const [cls, [unip, neg]] of Object.entries(posixClasses)) {
        if (glob.startsWith(cls, i2)) {
          if (rangeStart) {
            return [noMatch, glob.length - pos2];
          }
          i2 += cls.length;
          if (neg)
            negs.push(unip);
          else
            ranges.push(unip);
          continue WHILE;
        }
      }
    }
    escaping = false;
    const n = norm(c);
    if (rangeStart) {
      if (n.codePointAt(0) > rangeStart.codePointAt(0)) {
        ranges.push(braceEscape(rangeStart) + "-" + braceEscape(n));
      } else if (n === rangeStart) {
        ranges.push(braceEscape(n));
      }
      rangeStart = "";
      i2 += c.length;
      continue;
    }
    if (glob.startsWith("-]", i2 + c.length)) {
      ranges.push(braceEscape(n + "-"));
      i2 += c.length + 1;
      continue;
    }
    if (glob.startsWith("-", i2 + c.length)) {
      rangeStart = n;
      i2 += c.length + 1;
      continue;
    }
    ranges.push(braceEscape(n));
    i2 += c.length;
  }
  if (endPos < i2) {
    return [noMatch, 0];
  }
  if (!ranges.length && !negs.length) {
    return [noMatch, glob.length - pos2];
  }
  const sranges = "[" + (negate ? "^" : "") + ranges.join("") + "]";
  const snegs = "[" + (negate ? "" : "^") + negs.join("") + "]";
  const comb = "^" + (ranges.length && negs.length ? "(" + sranges + "|" + snegs + ")" : ranges.length ? sranges : snegs);
  return [new RegExp(comb, nocase ? "iu" : "u"), endPos - pos2];
};

// node_modules/@isaacs/nonrecursive-glob-match/dist/esm/index.js
var MATCH = { t: "match", id: 0 };
var extTypes = "!?+*@";
var lit = (ch) => ({ t: "lit", ch });
var reEscape = (s) => s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
var newFoldRe = (s) => new RegExp(`^${reEscape(s)}$`, "iu");
var foldCache = /* @__PURE__ */ new Map();
var foldRe = (ch) => {
  let re = foldCache.get(ch);
  if (!re) {
    re = newFoldRe(ch);
    if (foldCache.size >= 1e3)
      foldCache.clear();
    foldCache.set(ch, re);
  }
  return re;
};
var litMatch = (l, c) => {
  if (c === l.ch)
    return true;
  if (!l.re)
    return false;
  const code = c.charCodeAt(0);
  if (code >= 128)
    return l.re.test(c);
  const ascii = l.ascii ??= new Uint8Array(128);
  ascii[code] ||= l.re.test(c) ? 1 : 2;
  return ascii[code] === 1;
};
var tokenize = (p, nocase, noext, form, mark) => {
  const toks = [];
  for (let i2 = 0; i2 < p.length; ) {
    const c = String.fromCodePoint(p.codePointAt(i2));
    if (mark) {
      const m = c === "\\" && p.startsWith(mark, i2 + 1) ? 1 : 0;
      if (m || c === mark) {
        const start2 = i2 + m + mark.length;
        const end = p.indexOf(mark, start2);
        const r = /^(-?\d+)\.\.(-?\d+)$/.exec(p.slice(start2, end));
        const alts = end !== -1 && r && numericRange(r[1], r[2]);
        if (alts) {
          toks.push({ t: "ext", type: "@", alts });
          i2 = end + mark.length;
          continue;
        }
      }
    }
    if (c === "\\") {
      const e = p.codePointAt(i2 + 1);
      const ch = e === void 0 ? c : String.fromCodePoint(e);
      toks.push(lit(ch));
      i2 += 1 + ch.length;
      continue;
    }
    if (c === "[") {
      const [re, consumed] = parseClass(p, i2, nocase, form);
      if (consumed) {
        toks.push({ t: "class", re });
        i2 += consumed;
        continue;
      }
    }
    if (!noext && extTypes.includes(c) && p[i2 + 1] === "(") {
      toks.push({ t: "open", type: c });
      i2 += 2;
      continue;
    }
    toks.push(!noext && c === "|" ? { t: "bar" } : !noext && c === ")" ? { t: "close" } : c === "*" ? { t: "star" } : c === "?" ? { t: "any" } : lit(c));
    i2 += c.length;
  }
  return toks;
};
var pair = (toks) => {
  const pairs = /* @__PURE__ */ new Map();
  const stack = [];
  toks.forEach((tok, i2) => {
    if (tok.t === "open")
      stack.push(i2);
    else if (tok.t === "close" && stack.length)
      pairs.set(stack.pop(), i2);
  });
  return pairs;
};
var build = (toks, pairs, start2, end, top) => {
  let seq = [];
  const alts = [seq];
  for (let i2 = start2; i2 < end; i2++) {
    const tok = toks[i2];
    const close = pairs.get(i2);
    if (tok.t === "open" && close !== void 0) {
      const sub = build(toks, pairs, i2 + 1, close, false);
      seq.push({ t: "ext", type: tok.type, alts: sub });
      i2 = close;
    } else if (tok.t === "bar" && !top) {
      alts.push(seq = []);
    } else if (tok.t === "open") {
      seq.push(lit(tok.type), lit("("));
    } else if (tok.t === "bar") {
      seq.push(lit("|"));
    } else if (tok.t === "close") {
      seq.push(lit(")"));
    } else {
      seq.push(tok);
    }
  }
  return alts;
};
var normalize = (items, form) => {
  const out2 = [];
  let run2 = "";
  const flush = () => {
    for (const ch of run2.normalize(form))
      out2.push(lit(ch));
    run2 = "";
  };
  for (const it of items) {
    if (it.t === "lit") {
      run2 += it.ch;
      continue;
    }
    flush();
    out2.push(it.t === "ext" ? { ...it, alts: it.alts.map((a) => normalize(a, form)) } : it);
  }
  flush();
  return out2;
};
var compile = (items, nocase) => {
  let id = 1;
  const split = (out2) => ({ t: "split", id: id++, out: out2 });
  const seq = (items2, next) => items2.reduceRight((next2, it) => item(it, next2), next);
  const item = (it, next) => {
    switch (it.t) {
      case "lit":
        const re = nocase ? foldRe(it.ch) : void 0;
        return { t: "lit", id: id++, ch: it.ch, re, next };
      case "any":
      case "star":
        return { t: it.t, id: id++, next };
      case "class":
        return { t: "class", id: id++, re: it.re, next };
    }
    const alts = (next2) => it.alts.map((a) => seq(a, next2));
    switch (it.type) {
      case "@":
        return split(alts(next));
      case "?":
        return split([next, ...alts(next)]);
      case "!":
        return { t: "neg", id: id++, sub: split(alts(MATCH)), next };
    }
    const after = split([]);
    const entry = split(alts(after));
    after.out.push(next, entry);
    return it.type === "*" ? after : entry;
  };
  const start2 = seq(items, MATCH);
  return [start2, id];
};
var show = (start2) => {
  const lines = [];
  const seen = /* @__PURE__ */ new Set();
  const ref = (n) => n.t === "match" ? "match" : String(n.id);
  const walk2 = (n, indent) => {
    if (n.t === "match" || seen.has(n))
      return;
    seen.add(n);
    const line = (desc) => lines.push(`${indent}${n.id}: ${desc}`);
    switch (n.t) {
      case "split":
        line(`split -> ${n.out.map(ref).join(", ")}`);
        for (const o of n.out)
          walk2(o, indent);
        return;
      case "neg":
        line(`!(${ref(n.sub)}) -> ${ref(n.next)}`);
        walk2(n.sub, indent + "  ");
        return walk2(n.next, indent);
      case "lit":
        line(`${JSON.stringify(n.ch)} -> ${ref(n.next)}`);
        break;
      case "class":
        line(`${n.re} -> ${ref(n.next)}`);
        break;
      default:
        line(`${n.t === "any" ? "?" : "*"} -> ${ref(n.next)}`);
    }
    walk2(n.next, indent);
  };
  walk2(start2, "");
  return [`start -> ${ref(start2)}`, ...lines].join("\n");
};
var State = class {
  // set by the Sim, to mark the nodes that this state has
  gen;
  threads = [];
  match = false;
  runs = [];
  // the sorted ids of the threads, with 0 for a match, once the
  // state is done
  ids = [];
  constructor(gen) {
    this.gen = gen;
  }
  // no threads, so nothing more can match
  get dead() {
    return !this.threads.length && !this.match && !this.runs.length;
  }
};
var sameState = (a, b) => {
  if (a.ids.length !== b.ids.length)
    return false;
  if (a.runs.length !== b.runs.length)
    return false;
  if (a.ids.some((id, i2) => id !== b.ids[i2]))
    return false;
  return a.runs.every((r) => b.runs.some((o) => o.neg === r.neg && sameState(o.state, r.state)));
};
var marks = (size) => ({
  has: new Float64Array(size),
  seen: new Float64Array(size),
  gen: 0
});
var Sim = class {
  // `.` and `..` only match literal dots, even with `dot:true`
  dots;
  // the string starts with `.`, and `dot:true` is not set
  dotStart;
  #marks;
  constructor(dots, dotStart, marks2) {
    this.dots = dots;
    this.dotStart = dotStart;
    this.#marks = marks2;
  }
  state() {
    return new State(++this.#marks.gen);
  }
  // sort the ids of a state, once it has all of its threads
  done(state) {
    state.ids = state.threads.map((n) => n.id).sort((a, b) => a - b);
    if (state.match)
      state.ids.unshift(MATCH.id);
    return state;
  }
  // true the first time that the state walks through the node, so
  // that loops in the graph stop
  #visit(state, node) {
    const { seen } = this.#marks;
    if (seen[node.id] === state.gen)
      return false;
    seen[node.id] = state.gen;
    return true;
  }
  #addThread(state, node) {
    const { has: has2 } = this.#marks;
    if (has2[node.id] === state.gen)
      return false;
    has2[node.id] = state.gen;
    state.threads.push(node);
    return true;
  }
  // wildcards only match a leading dot if `dot:true`. In a negated
  // sub-pattern, this does not apply, because the negation itself
  // can not match a leading dot.
  restricted(i2, top) {
    return top && (this.dots || this.dotStart && i2 === 0);
  }
  add(state, node, i2, top) {
    switch (node.t) {
      case "split":
        if (!this.#visit(state, node))
          return;
        for (const o of node.out)
          this.add(state, o, i2, top);
        return;
      case "neg":
        if (!this.#visit(state, node))
          return;
        const sub = this.state();
        this.add(sub, node.sub, i2, false);
        this.done(sub);
        return this.addRun(state, { t: "run", neg: node, state: sub }, i2, top);
      case "star":
        if (this.restricted(i2, top))
          return;
        if (this.#addThread(state, node))
          this.add(state, node.next, i2, top);
        return;
      case "match":
        state.match = true;
        return;
      default:
        this.#addThread(state, node);
    }
  }
  addRun(state, run2, i2, top) {
    for (const r of state.runs) {
      if (r.neg === run2.neg && sameState(r.state, run2.state))
        return;
    }
    state.runs.push(run2);
    if (!run2.state.match) {
      this.add(state, run2.neg.next, i2, top);
    }
  }
  // the threads after char `c`, at index `i`
  step(state, c, i2, top) {
    const next = this.state();
    for (const th of state.threads) {
      switch (th.t) {
        case "lit":
          if (litMatch(th, c)) {
            this.add(next, th.next, i2 + 1, top);
          }
          break;
        case "any":
          if (!this.restricted(i2, top))
            this.add(next, th.next, i2 + 1, top);
          break;
        case "class":
          if (!this.restricted(i2, top) && th.re.test(c)) {
            this.add(next, th.next, i2 + 1, top);
          }
          break;
        case "star":
          if (!this.restricted(i2, top))
            this.add(next, th, i2 + 1, top);
      }
    }
    if (!this.restricted(i2, top)) {
      for (const run2 of state.runs) {
        if (run2.state.dead) {
          this.addRun(next, run2, i2 + 1, top);
          continue;
        }
        const sub = this.step(run2.state, c, i2, false);
        this.addRun(next, { t: "run", neg: run2.neg, state: sub }, i2 + 1, top);
      }
    }
    return this.done(next);
  }
};
var stateKey = (state) => {
  const ids = state.ids.join();
  if (!state.runs.length)
    return ids;
  const runs = state.runs.map((r) => `${r.neg.id}(${stateKey(r.state)})`);
  return `${ids}|${runs.sort().join("|")}`;
};
var DFA_BUDGET = 1 << 18;
var Dfa = class {
  #start;
  #states = /* @__PURE__ */ new Map();
  #size = 0;
  #plain;
  #dotStart;
  #sim;
  #dotSim;
  constructor(start2, marks2) {
    this.#start = start2;
    this.#sim = new Sim(false, false, marks2);
    this.#dotSim = new Sim(false, true, marks2);
  }
  #make(state) {
    return {
      state,
      match: state.match,
      dead: state.dead,
      next: /* @__PURE__ */ new Map()
    };
  }
  #intern(state) {
    const key = stateKey(state);
    const found = this.#states.get(key);
    if (found)
      return found;
    if (this.#size > DFA_BUDGET)
      this.#clear();
    const d = this.#make(state);
    this.#states.set(key, d);
    this.#size += key.length + 1;
    return d;
  }
  #clear() {
    this.#states.clear();
    this.#size = 0;
    this.#plain = void 0;
    this.#dotStart = void 0;
  }
  start(dotStart) {
    if (dotStart) {
      if (this.#dotStart)
        return this.#dotStart;
      const state2 = this.#dotSim.state();
      this.#dotSim.add(state2, this.#start, 0, true);
      return this.#dotStart = this.#make(this.#dotSim.done(state2));
    }
    if (this.#plain)
      return this.#plain;
    const state = this.#sim.state();
    this.#sim.add(state, this.#start, 0, true);
    return this.#plain = this.#intern(this.#sim.done(state));
  }
  // the next state, after a miss in `d.ascii`
  next(d, c) {
    const code = c.charCodeAt(0);
    const found = code < 128 ? void 0 : d.next.get(c);
    if (found)
      return found;
    const n = d === this.#dotStart ? this.#intern(this.#dotSim.step(d.state, c, 0, true)) : this.#intern(this.#sim.step(d.state, c, 1, true));
    if (code < 128) {
      if (!d.ascii) {
        d.ascii = new Array(128);
        this.#size += 128;
      }
      d.ascii[code] = n;
    } else {
      d.next.set(c, n);
    }
    this.#size++;
    return n;
  }
};
var linear = (start2) => {
  const nodes = [];
  for (let n = start2; n.t !== "match"; n = n.next) {
    if (n.t === "split" || n.t === "neg")
      return void 0;
    nodes.push(n);
  }
  return nodes;
};
var testLinear = (nodes, chars, start2, end) => {
  let ni = 0;
  let ci = start2;
  let starNi = -1;
  let starCi = 0;
  while (ci < end) {
    const n = nodes[ni];
    if (n?.t === "star") {
      starNi = ni++;
      starCi = ci;
      continue;
    }
    const c = chars[ci];
    if (n && (n.t === "any" || n.t === "lit" && litMatch(n, c) || n.t === "class" && n.re.test(c))) {
      ni++;
      ci++;
      continue;
    }
    if (starNi === -1)
      return false;
    ni = starNi + 1;
    ci = ++starCi;
  }
  while (nodes[ni]?.t === "star")
    ni++;
  return ni === nodes.length;
};
var lengths = (items) => {
  let min = 0;
  let max = 0;
  for (const it of items) {
    const [lo, hi] = itemLengths(it);
    min += lo;
    max += hi;
  }
  return [min, max];
};
var itemLengths = (it) => {
  if (it.t === "star")
    return [0, Infinity];
  if (it.t !== "ext")
    return [1, 1];
  if (it.type === "!")
    return [0, Infinity];
  const alts = it.alts.map(lengths);
  const min = Math.min(...alts.map((a) => a[0]));
  const max = Math.max(...alts.map((a) => a[1]));
  const loop = max === 0 ? 0 : Infinity;
  return it.type === "@" ? [min, max] : it.type === "?" ? [0, max] : it.type === "*" ? [0, loop] : [min, loop];
};
var hasAffix = (lits, chars, start2) => {
  for (let j = 0; j < lits.length; j++) {
    if (!litMatch(lits[j], chars[start2 + j]))
      return false;
  }
  return true;
};
var slashOrSurrogate = /[/\ud800-\udfff]/;
var surrogate = /[\ud800-\udfff]/;
var codePoints = (s) => surrogate.test(s) ? [...s] : s;
var noSlash = (s) => {
  if (s.includes("/")) {
    throw new Error("can only match a single path portion, got: " + s);
  }
};
var Matcher = class {
  pattern;
  options;
  #start;
  // the number of node ids
  #size;
  #marks;
  // the Sim for strings that are only `.` or `..`
  #dotsSim;
  // the string to compare, if the pattern has no magic. With
  // `nocase:true`, the RegExp that folds case is made when it is
  // first used.
  #literal;
  #literalFold = false;
  #literalRe;
  // the nodes between the prefix and suffix, if the graph is a
  // single chain
  #linear;
  // the linear nodes are only `*` and `?`, so the length bounds and
  // the prefix and suffix decide the match
  #wild = false;
  // the least and most chars that a match can have
  #min = 0;
  #max = Infinity;
  // the literals that a match must start and end with. Each one
  // matches exactly one char, and they are distinct items in the
  // pattern, so a string that does not have them can not match.
  #prefix = [];
  #suffix = [];
  // the prefix and suffix as strings, if they do not fold case
  #prefixStr;
  #suffixStr;
  // there is a prefix or suffix to check
  #affix = false;
  #dfa;
  #form;
  constructor(pattern, options = {}) {
    if (pattern.includes("/")) {
      throw new Error("can only match a single path portion, got pattern: " + pattern);
    }
    this.pattern = pattern;
    this.options = options;
    const { nocase = false, noext = false, normalize: n } = options;
    this.#form = n === true ? "NFC" : n || void 0;
    const literal2 = /^[?*+@]\(\)$/.test(pattern);
    const toks = tokenize(pattern, nocase, noext || literal2, this.#form, options.rangeMark);
    let [items] = build(toks, pair(toks), 0, toks.length, true);
    if (this.#form)
      items = normalize(items, this.#form);
    const [start2, size] = compile(items, nocase);
    this.#start = start2;
    this.#size = size;
    if (items.every((it) => it.t === "lit")) {
      this.#literal = items.map((it) => it.ch).join("");
      this.#literalFold = nocase;
    } else {
      const lit2 = (it) => it.t !== "lit" ? void 0 : nocase ? { ch: it.ch, re: foldRe(it.ch) } : { ch: it.ch };
      for (const it of items) {
        const l = lit2(it);
        if (!l)
          break;
        this.#prefix.push(l);
      }
      for (let j = items.length - 1; j >= 0; j--) {
        const l = lit2(items[j]);
        if (!l)
          break;
        this.#suffix.unshift(l);
      }
      this.#affix = !!(this.#prefix.length || this.#suffix.length);
      if (!nocase) {
        this.#prefixStr = this.#prefix.map((l) => l.ch).join("");
        this.#suffixStr = this.#suffix.map((l) => l.ch).join("");
      }
      this.#linear = linear(this.#start)?.slice(this.#prefix.length, -this.#suffix.length || void 0);
      this.#wild = !!this.#linear?.every((n2) => n2.t === "star" || n2.t === "any");
      const [min, max] = lengths(items);
      this.#min = min;
      this.#max = max;
    }
  }
  test(s) {
    if (this.#form) {
      noSlash(s);
      return this.#test(s.normalize(this.#form));
    }
    if (slashOrSurrogate.test(s)) {
      noSlash(s);
      return this.#test(s, [...s]);
    }
    return this.#test(s, s);
  }
  /**
   * The same as {@link Matcher#test}, but the string is not checked
   * for `/` chars, so the result for a string that has one is not
   * defined. Only use it for a string that is known to be one path
   * portion, such as a part of a path that was split on `/`. It can
   * be faster, because some patterns do not need to look at each char
   * of the string.
   */
  testUnchecked(s) {
    return this.#test(this.#form ? s.normalize(this.#form) : s);
  }
  // Test a string that has no `/`. `chars` indexes it by code point.
  // If it is not given, it is only found if a step needs it.
  #test(s, chars) {
    if (this.#literal !== void 0) {
      return this.#literalFold ? (this.#literalRe ??= newFoldRe(this.#literal)).test(s) : s === this.#literal;
    }
    const min = this.#min;
    const max = this.#max;
    if (chars === void 0) {
      const most = s.length;
      const least = most + 1 >> 1;
      if (most < min || least > max)
        return false;
      if (least < min || most > max)
        chars = codePoints(s);
    }
    if (chars !== void 0 && (chars.length < min || chars.length > max)) {
      return false;
    }
    const prefix2 = this.#prefix.length;
    if (this.#affix) {
      if (this.#prefixStr !== void 0 && this.#suffixStr !== void 0) {
        if (!s.startsWith(this.#prefixStr) || !s.endsWith(this.#suffixStr)) {
          return false;
        }
      } else {
        chars ??= codePoints(s);
        const end = chars.length - this.#suffix.length;
        if (!hasAffix(this.#prefix, chars, 0) || !hasAffix(this.#suffix, chars, end)) {
          return false;
        }
      }
    }
    const dotStart = !this.options.dot && s.startsWith(".");
    if (this.#linear) {
      if (s === "." || s === "..")
        return false;
      if (dotStart && !prefix2)
        return false;
      if (this.#wild)
        return true;
      chars ??= codePoints(s);
      const end = chars.length - this.#suffix.length;
      return testLinear(this.#linear, chars, prefix2, end);
    }
    chars ??= codePoints(s);
    if (s === "." || s === "..") {
      this.#marks ??= marks(this.#size);
      const sim = this.#dotsSim ??= new Sim(true, false, this.#marks);
      const start2 = sim.state();
      sim.add(start2, this.#start, 0, true);
      let state = sim.done(start2);
      for (let i2 = 0; i2 < chars.length; i2++) {
        state = sim.step(state, chars[i2], i2, true);
      }
      return state.match;
    }
    this.#marks ??= marks(this.#size);
    const dfa = this.#dfa ??= new Dfa(this.#start, this.#marks);
    let d = dfa.start(dotStart);
    const str = chars === s;
    for (let i2 = 0; i2 < chars.length; i2++) {
      if (d.dead)
        return false;
      const code = str ? s.charCodeAt(i2) : chars[i2].charCodeAt(0);
      d = d.ascii?.[code] ?? dfa.next(d, chars[i2]);
    }
    return d.match;
  }
  /** a readable listing of the state machine */
  toString() {
    return show(this.#start);
  }
};

// node_modules/minimatch/dist/esm/assert-valid-pattern.js
var MAX_PATTERN_LENGTH = 1024 * 64;
var assertValidPattern = (pattern) => {
  if (typeof pattern !== "string") {
    throw new TypeError("invalid pattern");
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new TypeError("pattern is too long");
  }
};

// node_modules/minimatch/dist/esm/escape.js
var escape2 = (s, { windowsPathsNoEscape = false, magicalBraces = false } = {}) => {
  const e = magicalBraces ? windowsPathsNoEscape ? s.replace(/[?*()[\]{}]/g, "[$&]") : s.replace(/[?*()[\]\\{}]/g, "\\$&") : windowsPathsNoEscape ? s.replace(/[?*()[\]]/g, "[$&]") : s.replace(/[?*()[\]\\]/g, "\\$&");
  const c = e.charAt(0);
  if (c === "#") {
    return (windowsPathsNoEscape ? "[#]" : "\\#") + e.slice(1);
  }
  if (c === "!") {
    return (windowsPathsNoEscape ? "@(!)" : "\\!") + e.slice(1);
  }
  return e;
};

// node_modules/minimatch/dist/esm/unescape.js
var unescape = (s, { windowsPathsNoEscape = false, magicalBraces = true } = {}) => {
  if (windowsPathsNoEscape && s.startsWith("@(!)")) {
    return "!" + unescape(s.slice(4), { windowsPathsNoEscape, magicalBraces });
  }
  if (magicalBraces) {
    return windowsPathsNoEscape ? s.replace(/\[([^/\\])\]/g, "$1") : s.replace(/((?!\\).|^)\[([^/\\])\]/g, "$1$2").replace(/\\([^/])/g, "$1");
  }
  return windowsPathsNoEscape ? s.replace(/\[([^/\\{}])\]/g, "$1") : s.replace(/((?!\\).|^)\[([^/\\{}])\]/g, "$1$2").replace(/\\([^/{}])/g, "$1");
};

// node_modules/minimatch/dist/esm/index.js
var DEFAULT_BRACE_EXPAND_MAX = 1e5;
var DEFAULT_GLOB_STAR_RECURSION_MAX = 200;
var AWE_KEY = "allowWindowsEscape";
var minimatch = (p, pattern, options) => {
  assertValidPattern(pattern);
  if (!options?.nocomment && pattern.charAt(0) === "#") {
    return false;
  }
  return cachedMinimatch(pattern, options).match(p);
};
var cache = /* @__PURE__ */ new Map();
var oldCache = /* @__PURE__ */ new Map();
var cacheSize = 0;
var cacheTotalWeight = 0;
var cacheMax = 256;
var cacheMaxWeight = 1 << 15;
var cacheMaxEntryWeight = 1 << 12;
var cacheWeight = (mm) => {
  let w = mm.pattern.length;
  for (const s of mm.globSet) {
    w += s.length + 1;
    if (w > cacheMaxEntryWeight)
      break;
  }
  return w;
};
var tri = (v) => v === void 0 ? 0 : v ? 2 : 1;
var booleanWeights = new Map(Object.keys({
  nobrace: 0,
  nocomment: 0,
  nonegate: 0,
  noglobstar: 0,
  noext: 0,
  nonull: 0,
  partial: 0,
  dot: 0,
  nocase: 0,
  nocaseMagicOnly: 0,
  magicalBraces: 0,
  matchBase: 0,
  flipNegate: 0,
  preserveMultipleSlashes: 0,
  windowsNoMagicRoot: 0
}).map((k, i2) => [k, 24 * 3 ** i2]));
var optionsKey = (o) => {
  let n = 0;
  let wpe = false;
  for (const k in o) {
    const v = o[k];
    switch (k) {
      // the same test as the Minimatch constructor
      case "windowsPathsNoEscape":
        if (v)
          wpe = true;
        break;
      case AWE_KEY:
        if (v === false)
          wpe = true;
        break;
      case "platform": {
        const p = v || defaultPlatform;
        if (p === defaultPlatform)
          break;
        if (p === "darwin")
          n += 3;
        else if (p === "win32")
          n += 6;
        else if (p === "linux")
          n += 9;
        else
          return JSON.stringify(o);
        break;
      }
      case "optimizationLevel":
        if (v === void 0)
          break;
        n += v >= 2 ? 1 : v >= 1 ? 0 : 2;
        break;
      case "braceExpandMax":
        if (v !== void 0 && v !== DEFAULT_BRACE_EXPAND_MAX) {
          return JSON.stringify(o);
        }
        break;
      case "maxGlobstarRecursion":
        if (v !== void 0 && v !== DEFAULT_GLOB_STAR_RECURSION_MAX) {
          return JSON.stringify(o);
        }
        break;
      case "normalize":
        if (v !== void 0)
          return JSON.stringify(o);
        break;
      default:
        n += (booleanWeights.get(k) ?? 0) * tri(v);
    }
  }
  return wpe ? n + 12 : n;
};
var copyOptions = (o) => {
  const copy = {};
  for (const k in o)
    copy[k] = o[k];
  return copy;
};
var cachedMinimatch = (pattern, options) => {
  const key = options ? optionsKey(options) : 0;
  let mm = cache.get(key)?.get(pattern);
  if (mm)
    return mm;
  mm = oldCache.get(key)?.get(pattern) ?? new Minimatch(pattern, copyOptions(options));
  const weight = cacheWeight(mm);
  if (weight > cacheMaxEntryWeight)
    return mm;
  if (cacheSize >= cacheMax || cacheTotalWeight + weight > cacheMaxWeight) {
    oldCache = cache;
    cache = /* @__PURE__ */ new Map();
    cacheSize = 0;
    cacheTotalWeight = 0;
  }
  let byPattern = cache.get(key);
  if (!byPattern)
    cache.set(key, byPattern = /* @__PURE__ */ new Map());
  byPattern.set(pattern, mm);
  cacheSize++;
  cacheTotalWeight += weight;
  return mm;
};
var defaultPlatform = typeof process === "object" && process ? process.env?.__MINIMATCH_TESTING_PLATFORM__ || process.platform : "posix";
var path = {
  win32: { sep: "\\" },
  posix: { sep: "/" }
};
var sep = defaultPlatform === "win32" ? path.win32.sep : path.posix.sep;
minimatch.sep = sep;
var GLOBSTAR = /* @__PURE__ */ Symbol("globstar **");
minimatch.GLOBSTAR = GLOBSTAR;
var filter = (pattern, options) => {
  let mm;
  return (p) => (mm ??= cachedMinimatch(pattern, options)).match(p);
};
minimatch.filter = filter;
var ext = (a, b = {}) => Object.assign({}, a, b);
var defaults = (def) => {
  if (!def || typeof def !== "object" || !Object.keys(def).length) {
    return minimatch;
  }
  const orig = minimatch;
  const m = (p, pattern, options = {}) => orig(p, pattern, ext(def, options));
  return Object.assign(m, {
    Minimatch: class Minimatch extends orig.Minimatch {
      constructor(pattern, options = {}) {
        super(pattern, ext(def, options));
      }
      static defaults(options) {
        return orig.defaults(ext(def, options)).Minimatch;
      }
    },
    unescape: (s, options = {}) => orig.unescape(s, ext(def, options)),
    escape: (s, options = {}) => orig.escape(s, ext(def, options)),
    filter: (pattern, options = {}) => orig.filter(pattern, ext(def, options)),
    defaults: (options) => orig.defaults(ext(def, options)),
    braceExpand: (pattern, options = {}) => orig.braceExpand(pattern, ext(def, options)),
    match: (list2, pattern, options = {}) => orig.match(list2, pattern, ext(def, options)),
    sep: orig.sep,
    GLOBSTAR
  });
};
minimatch.defaults = defaults;
var braceExpand = (pattern, options = {}) => {
  assertValidPattern(pattern);
  if (options.nobrace || !/\{(?:(?!\{).)*\}/.test(pattern)) {
    return [pattern];
  }
  let p = pattern.replace(/\\\\/g, "\\\\\\\\");
  if (options.windowsPathsNoEscape || options[AWE_KEY] === false) {
    p = p.replace(/\[([{}])\]/g, "[\\$1]");
  }
  return expand(p, { max: options.braceExpandMax });
};
minimatch.braceExpand = braceExpand;
var RANGE_MIN = 100;
var rangeRe = /(?<![\\$])\{(-?\d+)\.\.(-?\d+)\}/g;
var inRepeatOrNegExt = (portion, mark) => {
  const stack = [];
  for (let i2 = 0; i2 < portion.length; i2++) {
    const c = portion.charAt(i2);
    if (c === "\\") {
      i2++;
    } else if (c === mark) {
      if (stack.some((t) => t !== "@" && t !== "?"))
        return true;
    } else if (portion.charAt(i2 + 1) === "(" && "!?+*@".includes(c)) {
      stack.push(c);
      i2++;
    } else if (c === ")") {
      stack.pop();
    }
  }
  return false;
};
var match = (list2, pattern, options = {}) => {
  const mm = new Minimatch(pattern, options);
  list2 = list2.filter((f) => mm.match(f));
  if (mm.options.nonull && !list2.length) {
    list2.push(pattern);
  }
  return list2;
};
minimatch.match = match;
var globMagic = /[?*]|[+@!]\(.*?\)|\[|\]/;
var classEnd = (pattern, start2) => {
  let i2 = start2 + 1;
  if (pattern.charAt(i2) === "!" || pattern.charAt(i2) === "^")
    i2++;
  let sawStart = false;
  for (; i2 < pattern.length; i2++) {
    const c = pattern.charAt(i2);
    if (c === "]" && sawStart)
      return i2;
    sawStart = true;
    if (c === "\\")
      i2++;
  }
  return -1;
};
var literal = (pattern, noext) => {
  if (!noext && (pattern === "+()" || pattern === "@()"))
    return pattern;
  let lit2 = "";
  for (let i2 = 0; i2 < pattern.length; i2++) {
    const c = pattern.charAt(i2);
    if (c === "\\") {
      lit2 += pattern.charAt(++i2) || c;
    } else if (c === "*" || c === "?") {
      return void 0;
    } else if (c === "[") {
      const close = classEnd(pattern, i2);
      if (close === -1) {
        lit2 += c;
        continue;
      }
      let body2 = pattern.slice(i2 + 1, close);
      if (body2.startsWith("\\"))
        body2 = body2.slice(1);
      if ([...body2].length !== 1 || "!^".includes(pattern.charAt(i2 + 1))) {
        return void 0;
      }
      lit2 += body2;
      i2 = close;
    } else if (!noext && "+@!".includes(c) && pattern.charAt(i2 + 1) === "(" && pattern.includes(")", i2 + 2)) {
      return void 0;
    } else {
      lit2 += c;
    }
  }
  return lit2;
};
var MAX_EXTGLOBS = 256;
var extglobCount = (pattern) => {
  let n = 0;
  for (let i2 = 0; i2 < pattern.length - 1; i2++) {
    const c = pattern.charAt(i2);
    if (c === "\\") {
      i2++;
    } else if ("+@!?*".includes(c) && pattern.charAt(i2 + 1) === "(") {
      n++;
      i2++;
    }
  }
  return n;
};
var assertValidExtglobs = (pattern) => {
  if (extglobCount(pattern) > MAX_EXTGLOBS) {
    throw new TypeError("pattern has too many extglobs");
  }
};
var extSafe = (pattern) => {
  if (/^[?*+@]\(\)$/.test(pattern) || pattern.includes("[:"))
    return false;
  let depth = 0;
  for (let i2 = 0; i2 < pattern.length; i2++) {
    const c = pattern.charAt(i2);
    if (c === "\\") {
      if (++i2 === pattern.length)
        return false;
    } else if (c === "[") {
      const close = classEnd(pattern, i2);
      if (close !== -1)
        i2 = close;
    } else if ("+@!?*".includes(c) && pattern.charAt(i2 + 1) === "(") {
      depth++;
      i2++;
    } else if (c === ")") {
      if (!depth--)
        return false;
    } else if (c === "|" && !depth) {
      return false;
    }
  }
  return !depth;
};
var lastSplit;
var lastChecked;
var portionMatch = (p, f) => typeof p === "string" ? f === p : f !== "" && p.testUnchecked(f);
var endIndex = (p, last, lastStart, prev, prevStart) => portionMatch(p, last) ? lastStart : prev !== void 0 && portionMatch(p, prev) ? prevStart : -1;
var isDots = (p) => p === "." || p === "..";
var isDrive = (p) => typeof p === "string" && /^[a-z]:$/i.test(p);
var isLongUNC = (p) => typeof p === "string" && /^unc$/i.test(p);
var uncHost = (p) => {
  if (p[0] !== "" || p[1] !== "")
    return -1;
  const h = p[2] !== "?" ? 2 : isLongUNC(p[3]) ? 4 : -1;
  const host = p[h];
  const share = p[h + 1];
  return h !== -1 && host !== void 0 && host !== "" && host !== GLOBSTAR && share !== void 0 && share !== "" && share !== GLOBSTAR ? h : -1;
};
var walkable = (p, dot) => !isDots(p) && (dot || !p.startsWith("."));
var dotPortion = (f, start2, end, dot, sep3) => {
  for (let k = start2; k < end; ) {
    if (f.charCodeAt(k) === 46) {
      if (!dot)
        return true;
      const n = f.charCodeAt(k + 1) === 46 ? k + 2 : k + 1;
      if (n >= end || isSep(f.charCodeAt(n), sep3))
        return true;
    }
    const s = nextSep(f, k, sep3);
    if (s === -1)
      return false;
    k = s + 1;
    while (k < end && isSep(f.charCodeAt(k), sep3))
      k++;
  }
  return false;
};
var isSep = (c, sep3) => sep3 === "/" ? c === 47 : sep3 === "\\" ? c === 92 : c === 47 || c === 92;
var nextSep = (f, from, sep3) => {
  if (sep3 !== "both")
    return f.indexOf(sep3, from);
  const s = f.indexOf("/", from);
  const b = f.indexOf("\\", from);
  return s === -1 ? b : b === -1 ? s : Math.min(s, b);
};
var lastSep = (f, from, sep3) => sep3 !== "both" ? f.lastIndexOf(sep3, from) : Math.max(f.lastIndexOf("/", from), f.lastIndexOf("\\", from));
var PENDING = {};
var Minimatch = class {
  options;
  set;
  pattern;
  windowsPathsNoEscape;
  nonegate;
  negate;
  comment;
  empty;
  preserveMultipleSlashes;
  partial;
  globSet;
  globParts;
  nocase;
  isWindows;
  platform;
  windowsNoMagicRoot;
  maxGlobstarRecursion;
  // the path can be checked against the last portion, and the string
  // portions, of each row before it is split. See #canMatch.
  #endCheck;
  #literalCheck;
  // level 2 resolves `.` and `..` portions in the path
  #level2;
  // the unicode normalization form, if any
  #form;
  // the string portions of each row in the set
  #literals = [];
  // the rows that #canMatch can match without splitting the path
  #shapes = [];
  // the rows whose last portion can be checked against the path's
  #endRows = [];
  // brace expansion can make the same portion in many rows, so they
  // share one Matcher, and the states that it caches
  #matchers = /* @__PURE__ */ new Map();
  // parse() returns PENDING in place of a Matcher
  #pending = false;
  // the char that marks numeric ranges in globSet, if any
  #rangeMark;
  // the GlobstarParts of each pattern row, by start index and partial
  #globstarParts = /* @__PURE__ */ new WeakMap();
  constructor(pattern, options = {}) {
    assertValidPattern(pattern);
    options = options || {};
    this.options = options;
    this.maxGlobstarRecursion = options.maxGlobstarRecursion ?? DEFAULT_GLOB_STAR_RECURSION_MAX;
    this.pattern = pattern;
    this.platform = options.platform || defaultPlatform;
    this.isWindows = this.platform === "win32";
    this.windowsPathsNoEscape = !!options.windowsPathsNoEscape || options[AWE_KEY] === false;
    if (this.windowsPathsNoEscape) {
      this.pattern = this.pattern.replace(/\\/g, "/");
    }
    this.preserveMultipleSlashes = !!options.preserveMultipleSlashes;
    this.negate = false;
    this.nonegate = !!options.nonegate;
    this.comment = false;
    this.empty = false;
    this.partial = !!options.partial;
    this.nocase = !!this.options.nocase;
    this.windowsNoMagicRoot = options.windowsNoMagicRoot !== void 0 ? options.windowsNoMagicRoot : !!(this.isWindows && this.nocase);
    this.globSet = [];
    this.globParts = [];
    this.set = [];
    this.#endCheck = !this.preserveMultipleSlashes;
    this.#level2 = (options.optimizationLevel ?? 1) >= 2;
    const n = options.normalize;
    this.#form = n === true ? "NFC" : n || void 0;
    this.make();
    const drives = this.set.map((row) => this.#rootIndex(row));
    this.#endRows = this.set.map((row, r) => this.#endCheck && row.length - 1 > drives[r]);
    this.#literals = this.set.map((row, r) => {
      const end = this.#endRows[r] ? row.length - 1 : row.length;
      const lits = row.slice(drives[r] + 1, end).filter((p) => typeof p === "string" && !!p);
      return [...new Set(lits)];
    });
    this.#literalCheck = this.#literals.some((l) => l.length);
    this.#shapes = this.set.map((row, r) => {
      const [p0, p1, p2] = row;
      if (this.#endRows[r] && row.length === 2) {
        if (p0 === GLOBSTAR && p1 !== GLOBSTAR)
          return "tail";
      }
      if (this.#endRows[r] && options.matchBase && row.length === 1 && p0 !== GLOBSTAR && p0 !== "") {
        return "base";
      }
      if (!this.#endCheck || drives[r] !== -1)
        return void 0;
      if (row.length === 3 && p0 === GLOBSTAR && p2 === GLOBSTAR && p1 !== GLOBSTAR && p1 !== "" && // the portion between is only matched below this limit
      this.maxGlobstarRecursion > 0) {
        return "mid";
      }
      if (row.length === 2 && p1 === GLOBSTAR && p0 !== GLOBSTAR && p0 !== "") {
        return "head";
      }
      return void 0;
    });
  }
  // a string portion of a pattern, normalized if the option is set
  #norm(p) {
    return this.#form ? p.normalize(this.#form) : p;
  }
  // On Windows, the index of the last root portion of a row, as
  // #matchRow finds it: 0 for `c:/...`, 3 for `//?/c:/...` and
  // `//host/share/...`, and 5 for `//?/UNC/host/share/...`. Otherwise
  // -1.
  #rootIndex(row) {
    if (!this.isWindows)
      return -1;
    if (isDrive(row[0]))
      return 0;
    const uncDrive = row[0] === "" && row[1] === "" && row[2] === "?" && isDrive(row[3]);
    if (uncDrive)
      return 3;
    const h = uncHost(row);
    return h === -1 ? -1 : h + 1;
  }
  hasMagic() {
    if (this.options.magicalBraces && this.set.length > 1) {
      return true;
    }
    for (const pattern of this.set) {
      for (const part of pattern) {
        if (typeof part !== "string")
          return true;
      }
    }
    return false;
  }
  make() {
    const pattern = this.pattern;
    const options = this.options;
    if (!options.nocomment && pattern.charAt(0) === "#") {
      this.comment = true;
      return;
    }
    if (!pattern) {
      this.empty = true;
      return;
    }
    this.parseNegate();
    this.globSet = [...new Set(this.#expandBraces())];
    const rawGlobParts = this.globSet.map((s) => this.#slashSplit(s));
    this.globParts = this.preprocess(rawGlobParts);
    this.#pending = true;
    let set = this.globParts.map((s, _, __) => {
      if (this.isWindows && this.windowsNoMagicRoot) {
        const n = s[2] === "?" && isLongUNC(s[3]) ? 6 : 4;
        const isUNC = s[0] === "" && s[1] === "" && (s[2] === "?" || !globMagic.test(s[2])) && s.slice(3, n).every((p) => !globMagic.test(p));
        const isDrive2 = /^[a-z]:/i.test(s[0]);
        if (isUNC) {
          return [
            ...s.slice(0, n).map((p) => this.#norm(p)),
            ...s.slice(n).map((ss) => this.parse(ss))
          ];
        } else if (isDrive2) {
          return [
            this.#norm(s[0]),
            ...s.slice(1).map((ss) => this.parse(ss))
          ];
        }
      }
      return s.map((ss) => this.parse(ss));
    });
    this.set = set.filter((s) => s.indexOf(false) === -1);
    if (this.isWindows) {
      for (let i2 = 0; i2 < this.set.length; i2++) {
        const p = this.set[i2];
        if (p[0] === "" && p[1] === "" && this.globParts[i2][2] === "?" && (isDrive(p[3]) || isLongUNC(this.globParts[i2][3]))) {
          if (isLongUNC(this.globParts[i2][3]))
            p[3] = "UNC";
          p[2] = "?";
        }
      }
    }
    if (!options.noext)
      this.mergeRows();
    this.#pending = false;
    this.set.forEach((row, i2) => {
      for (let k = 0; k < row.length; k++) {
        if (row[k] === PENDING) {
          row[k] = this.parse(this.globParts[i2][k]);
        }
      }
    });
  }
  // Merge rows that only differ in one portion, where each of them
  // is a Matcher, into one row that matches any of them with
  // `@(a|b|...)`. Then a path is only walked once for all of them,
  // for example with `**/*.{js,ts}`.
  mergeRows() {
    let merged = true;
    while (merged) {
      merged = false;
      if (this.set.length < 2)
        return;
      let keys = this.#mergeKeys();
      const len = Math.max(0, ...this.set.map((r) => r.length));
      for (let k = 0; k < len; k++) {
        const groups = /* @__PURE__ */ new Map();
        const R = this.set.length + 1;
        this.set.forEach((row, i2) => {
          if (!(row[k] instanceof Matcher || row[k] === PENDING) || !extSafe(this.globParts[i2][k])) {
            return;
          }
          const { pre, suf } = keys[i2];
          const key = pre[k] * R + suf[k + 1];
          const g = groups.get(key);
          if (g)
            g.push(i2);
          else
            groups.set(key, [i2]);
        });
        const drop = /* @__PURE__ */ new Set();
        for (const g of groups.values()) {
          if (g.length < 2)
            continue;
          const [first, ...rest] = g;
          const alts = g.map((i2) => this.globParts[i2][k]);
          const glob = `@(${alts.join("|")})`;
          if (extglobCount(glob) > MAX_EXTGLOBS)
            continue;
          this.globParts[first][k] = glob;
          this.set[first][k] = this.parse(glob);
          for (const i2 of rest)
            drop.add(i2);
        }
        if (drop.size) {
          merged = true;
          this.set = this.set.filter((_, i2) => !drop.has(i2));
          this.globParts = this.globParts.filter((_, i2) => !drop.has(i2));
          if (this.set.length < 2)
            return;
          keys = this.#mergeKeys();
        }
      }
    }
  }
  // For each row, number ids for its prefixes and suffixes, such that
  // pre[k] identifies parts[0..k) and suf[k] identifies parts[k..n).
  // Two rows are the same other than at portion k exactly when they
  // have the same pre[k] and suf[k + 1]. This is linear in the size of
  // the rows, where joining the whole row for every k was quadratic.
  #mergeKeys() {
    const partIds = /* @__PURE__ */ new Map();
    const ids = this.globParts.map((parts2) => parts2.map((s) => {
      let id = partIds.get(s);
      if (id === void 0)
        partIds.set(s, id = partIds.size);
      return id;
    }));
    const P = partIds.size;
    const len = Math.max(0, ...ids.map((r) => r.length));
    const keys = ids.map((r) => ({
      pre: [0],
      suf: new Array(r.length + 1).fill(0)
    }));
    for (let k = 0; k < len; k++) {
      const m = /* @__PURE__ */ new Map();
      ids.forEach((r, i2) => {
        if (k >= r.length)
          return;
        const { pre } = keys[i2];
        const key = pre[k] * P + r[k];
        let id = m.get(key);
        if (id === void 0)
          m.set(key, id = m.size + 1);
        pre.push(id);
      });
    }
    for (let k = len - 1; k >= 0; k--) {
      const m = /* @__PURE__ */ new Map();
      ids.forEach((r, i2) => {
        if (k >= r.length)
          return;
        const { suf } = keys[i2];
        const key = suf[k + 1] * P + r[k];
        let id = m.get(key);
        if (id === void 0)
          m.set(key, id = m.size + 1);
        suf[k] = id;
      });
    }
    return keys;
  }
  // various transforms to equivalent pattern sets that are
  // faster to process in a filesystem walk.  The goal is to
  // eliminate what we can, and push all ** patterns as far
  // to the right as possible, even if it increases the number
  // of patterns that we have to process.
  preprocess(globParts) {
    if (this.options.noglobstar) {
      for (const partset of globParts) {
        for (let j = 0; j < partset.length; j++) {
          if (partset[j] === "**") {
            partset[j] = "*";
          }
        }
      }
    }
    const { optimizationLevel = 1 } = this.options;
    if (optimizationLevel >= 2) {
      globParts = this.firstPhasePreProcess(globParts);
      globParts = this.secondPhasePreProcess(globParts);
    } else if (optimizationLevel >= 1) {
      globParts = this.levelOneOptimize(globParts);
    } else {
      globParts = this.adjascentGlobstarOptimize(globParts);
    }
    return globParts;
  }
  // just get rid of adjascent ** portions
  adjascentGlobstarOptimize(globParts) {
    return globParts.map((parts2) => {
      let gs = -1;
      while (-1 !== (gs = parts2.indexOf("**", gs + 1))) {
        let i2 = gs;
        while (parts2[i2 + 1] === "**") {
          i2++;
        }
        if (i2 !== gs) {
          parts2.splice(gs, i2 - gs);
        }
      }
      return parts2;
    });
  }
  // get rid of adjascent ** and resolve .. portions
  levelOneOptimize(globParts) {
    return globParts.map((parts2) => {
      const root = this.#rootIndex(parts2) + 1;
      parts2 = parts2.reduce((set, part) => {
        const prev = set[set.length - 1];
        if (part === "**" && prev === "**") {
          return set;
        }
        if (part === "..") {
          if (set.length > root && prev && prev !== ".." && prev !== "." && prev !== "**") {
            set.pop();
            return set;
          }
        }
        set.push(part);
        return set;
      }, []);
      return parts2.length === 0 ? [""] : parts2;
    });
  }
  // Check the path against each row before it is split. 'no' if no
  // row can match, so it does not need to be split. 'yes' if a row of
  // `**` and one more portion matches. 'maybe' if it must be split to
  // know. None of this applies with partial, where the path can end
  // before the row does.
  //
  // On Windows, `\` is a separator in the path too, and the portions of
  // a row up to its drive letter or UNC share are not checked (see
  // #rootIndex).
  //
  // Each string portion of a row must be a portion of the path, so the
  // path must contain it. Level 2 can only take portions out of the
  // path, so this is still true then.
  //
  // The last portion of a row must match the last portion of the path,
  // or the one before a trailing `/` (as a/* and a/**/* match a/b/).
  // This does not apply to rows that end in **, rows that end in a
  // root, or preserveMultipleSlashes (which can leave more
  // than one '' at the end). At level 2, it does not apply if that
  // portion is `.` or `..`, which can be
  // resolved away. Level 2 only takes other portions out of the
  // middle of the path.
  //
  // A row of `**/x` then matches if the ** can walk the portions
  // before the one that x matches, the same as #matchGlobstar. At
  // level 2, this is only known if none of them are `.` or `..`, so
  // that the path does not change when it is resolved.
  #canMatch(f) {
    const sep3 = !this.isWindows || !f.includes("\\") ? "/" : f.includes("/") ? "both" : "\\";
    let ends = this.#endCheck ? 0 : -1;
    let last = "";
    let lastStart = 0;
    let prev;
    let prevStart = 0;
    const dot = !!this.options.dot;
    ROWS: for (let r = 0; r < this.set.length; r++) {
      const row = this.set[r];
      const p = row[row.length - 1];
      let end = ends !== -1 && this.#endRows[r] && p !== GLOBSTAR;
      if (end && ends === 0) {
        const i2 = lastSep(f, f.length, sep3);
        lastStart = i2 + 1;
        last = f.slice(lastStart);
        if (last === "" && i2 >= 0) {
          let j = i2;
          while (j > 0 && isSep(f.charCodeAt(j - 1), sep3))
            j--;
          prevStart = j === 0 ? 0 : lastSep(f, j - 1, sep3) + 1;
          prev = f.slice(prevStart, j);
        }
        const resolves = this.#level2 && (isDots(last) || last === "" && prev !== void 0 && isDots(prev));
        ends = resolves ? -1 : 1;
        end = !resolves;
      }
      let tailStart = -1;
      if (end && typeof p === "string") {
        tailStart = endIndex(p, last, lastStart, prev, prevStart);
        if (tailStart === -1)
          continue;
      }
      if (this.#literalCheck) {
        for (const l of this.#literals[r]) {
          if (!f.includes(l))
            continue ROWS;
        }
      }
      if (end && typeof p === "object") {
        tailStart = endIndex(p, last, lastStart, prev, prevStart);
        if (tailStart === -1)
          continue;
      }
      const shape = this.#shapes[r];
      if (shape === "base" && end)
        return "yes";
      if (shape === "tail" && end) {
        if (this.#level2 && dotPortion(f, 0, tailStart, true, sep3)) {
          return "maybe";
        }
        if (!dotPortion(f, 0, tailStart, dot, sep3))
          return "yes";
        continue;
      }
      if (shape === "mid" || shape === "head") {
        const m = this.#walk(f, row, shape === "head", dot, sep3);
        if (m !== "no")
          return m;
        continue;
      }
      return "maybe";
    }
    return "no";
  }
  // Match a row of a known shape against the split path, the same as
  // #matchGlobstar and #matchGlobStarBodySections do. None of these
  // rows have a drive letter, so they start at the first portion.
  #matchShape(file, row, shape) {
    const dot = !!this.options.dot;
    const n = file.length;
    if (shape === "head") {
      if (n < 2 || !portionMatch(row[0], file[0])) {
        return false;
      }
      for (let i2 = 1; i2 < n; i2++)
        if (!walkable(file[i2], dot))
          return false;
      return true;
    }
    const x = row[1];
    if (shape === "tail") {
      let t = n - 1;
      if (!portionMatch(x, file[t])) {
        if (file[t] !== "" || n === 1 || !portionMatch(x, file[--t])) {
          return false;
        }
      }
      for (let i2 = 0; i2 < t; i2++)
        if (!walkable(file[i2], dot))
          return false;
      return true;
    }
    for (let k = 0; k < n; k++) {
      if (portionMatch(x, file[k]) && k + 1 < n) {
        let i2 = k + 1;
        while (i2 < n && walkable(file[i2], dot))
          i2++;
        if (i2 === n)
          return true;
      }
      if (!walkable(file[k], dot))
        return false;
    }
    return false;
  }
  // Match a row of `**/x/**` or `x/**` against the path, the same as
  // #matchGlobstar and #matchGlobStarBodySections do once it is split.
  // x must match a portion (the first one, for `x/**`), the ** before
  // it must be able to walk the portions before that one, and there
  // must be a portion after it, which the ** after it can walk. At
  // level 2, this is only known if no portion is `.` or `..`.
  #walk(f, row, head, dot, sep3) {
    if (this.#level2 && dotPortion(f, 0, f.length, true, sep3))
      return "maybe";
    const x = row[head ? 0 : 1];
    let s = 0;
    for (let e = nextSep(f, s, sep3); e !== -1; e = nextSep(f, s, sep3)) {
      let next = e + 1;
      while (next < f.length && isSep(f.charCodeAt(next), sep3))
        next++;
      const hit = typeof x === "string" ? e - s === x.length && f.startsWith(x, s) : e > s && x.testUnchecked(f.slice(s, e));
      if (hit && !dotPortion(f, next, f.length, dot, sep3))
        return "yes";
      if (head || dotPortion(f, s, next, dot, sep3))
        return "no";
      s = next;
    }
    return "no";
  }
  // the last split, if it was the same path with the same split
  // settings
  #cachedSplit(f) {
    const last = lastSplit;
    return last?.f === f && last.isWindows === this.isWindows && last.preserveMultipleSlashes === this.preserveMultipleSlashes && last.normalize === this.#form ? last : void 0;
  }
  // split a path for match(), and keep the parts for the next call
  #split(f) {
    const { isWindows, preserveMultipleSlashes } = this;
    let parts2 = this.#slashSplit(isWindows ? f.split("\\").join("/") : f);
    const normalize2 = this.#form;
    if (normalize2)
      parts2 = parts2.map((p) => p.normalize(normalize2));
    lastSplit = {
      f,
      isWindows,
      preserveMultipleSlashes,
      normalize: normalize2,
      parts: parts2
    };
    return lastSplit;
  }
  // resolve `.` and `..` portions of a path, for level 2
  #levelTwoFileOptimize(file) {
    const parts2 = [...file];
    let didSomething = false;
    do {
      didSomething = false;
      if (!this.preserveMultipleSlashes) {
        for (let i2 = 1; i2 < parts2.length - 1; i2++) {
          const p = parts2[i2];
          if (i2 === 1 && p === "" && parts2[0] === "")
            continue;
          if (p === "." || p === "") {
            didSomething = true;
            parts2.splice(i2, 1);
            i2--;
          }
        }
        if (parts2[0] === "." && parts2.length === 2 && (parts2[1] === "." || parts2[1] === "")) {
          didSomething = true;
          parts2.pop();
        }
      }
      const root = this.#rootIndex(parts2) + 1;
      let dd = root;
      while (-1 !== (dd = parts2.indexOf("..", dd + 1))) {
        const p = parts2[dd - 1];
        if (p && p !== "." && p !== ".." && p !== "**") {
          didSomething = true;
          parts2.splice(dd - 1, 2);
          dd = Math.max(dd - 2, root);
        }
      }
    } while (didSomething);
    return parts2.length === 0 ? [""] : parts2;
  }
  // First phase: single-pattern processing
  // <pre> is 1 or more portions
  // <rest> is 1 or more portions
  // <p> is any portion other than ., .., '', or **
  // <e> is . or ''
  //
  // **/.. is *brutal* for filesystem walking performance, because
  // it effectively resets the recursive walk each time it occurs,
  // and ** cannot be reduced out by a .. pattern part like a regexp
  // or most strings (other than .., ., and '') can be.
  //
  // <pre>/**/../<p>/<p>/<rest> -> {<pre>/../<p>/<p>/<rest>,<pre>/**/<p>/<p>/<rest>}
  // <pre>/<e>/<rest> -> <pre>/<rest>
  // <pre>/<p>/../<rest> -> <pre>/<rest>
  // **/**/<rest> -> **/<rest>
  //
  // **/*/<rest> -> */**/<rest> <== not valid because ** doesn't follow
  // this WOULD be allowed if ** did follow symlinks, or * didn't
  firstPhasePreProcess(globParts) {
    const { braceExpandMax = DEFAULT_BRACE_EXPAND_MAX } = this.options;
    let splitCells = 0;
    const maxSplitCells = 1e6;
    let didSomething = false;
    do {
      didSomething = false;
      for (let parts2 of globParts) {
        let gs = -1;
        while (-1 !== (gs = parts2.indexOf("**", gs + 1))) {
          let gss = gs;
          while (parts2[gss + 1] === "**") {
            gss++;
          }
          if (gss > gs) {
            parts2.splice(gs + 1, gss - gs);
          }
          let next = parts2[gs + 1];
          const p = parts2[gs + 2];
          const p2 = parts2[gs + 3];
          if (next !== "..")
            continue;
          if (!p || p === "." || p === ".." || !p2 || p2 === "." || p2 === "..") {
            continue;
          }
          const addedCells = parts2.length - 1;
          if (globParts.length >= braceExpandMax || splitCells + addedCells > maxSplitCells) {
            throw new RangeError(`optimizationLevel 2: too many patterns from '**/..'`);
          }
          didSomething = true;
          parts2.splice(gs, 1);
          const other = parts2.slice(0);
          other[gs] = "**";
          splitCells += addedCells;
          globParts.push(other);
          gs--;
        }
        if (!this.preserveMultipleSlashes) {
          for (let i2 = 1; i2 < parts2.length - 1; i2++) {
            const p = parts2[i2];
            if (i2 === 1 && p === "" && parts2[0] === "")
              continue;
            if (p === "." || p === "") {
              didSomething = true;
              parts2.splice(i2, 1);
              i2--;
            }
          }
          if (parts2[0] === "." && parts2.length === 2 && (parts2[1] === "." || parts2[1] === "")) {
            didSomething = true;
            parts2.pop();
          }
        }
        const root = this.#rootIndex(parts2) + 1;
        let dd = root;
        while (-1 !== (dd = parts2.indexOf("..", dd + 1))) {
          const p = parts2[dd - 1];
          if (p && p !== "." && p !== ".." && p !== "**") {
            didSomething = true;
            const needDot = dd === 1 && parts2[dd + 1] === "**";
            const splin = needDot ? ["."] : [];
            parts2.splice(dd - 1, 2, ...splin);
            if (parts2.length === 0)
              parts2.push("");
            dd = Math.max(dd - 2, root);
          }
        }
      }
    } while (didSomething);
    return globParts;
  }
  // second phase: multi-pattern dedupes
  // {<pre>/<rest>,<pre>/<rest>} -> <pre>/<rest>
  // {<pre>/*/<rest>,<pre>/<p>/<rest>} -> <pre>/*/<rest>
  secondPhasePreProcess(globParts) {
    const keys = /* @__PURE__ */ new Set();
    const rows = globParts.filter((parts2) => {
      const key = parts2.join("/");
      if (keys.has(key))
        return false;
      keys.add(key);
      return true;
    });
    const stars = /* @__PURE__ */ new Map();
    for (const parts2 of rows) {
      const s = [];
      for (let i2 = 0; i2 < parts2.length; i2++) {
        if (parts2[i2] === "*")
          s.push(i2);
      }
      if (s.length)
        stars.set(s.join(","), s);
    }
    if (!stars.size || rows.length * stars.size > 1e5)
      return rows;
    const { dot } = this.options;
    return rows.filter((parts2) => {
      for (const s of stars.values()) {
        if (s[s.length - 1] >= parts2.length)
          continue;
        const c = [...parts2];
        let ok = true;
        let changed = false;
        for (const i2 of s) {
          const p = parts2[i2];
          if (p === "*")
            continue;
          if (!p || p === "**" || !dot && p.startsWith(".")) {
            ok = false;
            break;
          }
          c[i2] = "*";
          changed = true;
        }
        if (ok && changed && keys.has(c.join("/")))
          return false;
      }
      return true;
    });
  }
  parseNegate() {
    if (this.nonegate)
      return;
    const pattern = this.pattern;
    let negate = false;
    let negateOffset = 0;
    for (let i2 = 0; i2 < pattern.length && pattern.charAt(i2) === "!"; i2++) {
      negate = !negate;
      negateOffset++;
    }
    if (negateOffset)
      this.pattern = pattern.slice(negateOffset);
    this.negate = negate;
  }
  // Match the parts of a path against one row of the set. `resolved`
  // is the parts after level 2 resolves `.` and `..` in them, or the
  // same parts below level 2. Set partial to true to test if, for
  // example, "/a/b" matches the start of "/*/b/*/d". Partial means, if
  // you run out of file before you run out of pattern, then that's
  // fine, as long as all the parts match.
  #matchRow(file, resolved, pattern, partial) {
    let fileStartIndex = 0;
    let patternStartIndex = 0;
    const fh = this.isWindows ? uncHost(resolved) : -1;
    const ph = fh === -1 ? -1 : uncHost(pattern);
    if (ph !== -1) {
      const host = pattern[ph];
      const share = pattern[ph + 1];
      if (typeof host !== "string" || typeof share !== "string") {
        fileStartIndex = fh;
        patternStartIndex = ph;
      } else if (resolved[fh].toLowerCase() === host.toLowerCase() && resolved[fh + 1].toLowerCase() === share.toLowerCase()) {
        fileStartIndex = fh + 2;
        patternStartIndex = ph + 2;
      }
    } else if (this.isWindows) {
      const fileDrive = typeof file[0] === "string" && /^[a-z]:$/i.test(file[0]);
      const fileUNC = !fileDrive && file[0] === "" && file[1] === "" && file[2] === "?" && /^[a-z]:$/i.test(file[3]);
      const patternDrive = typeof pattern[0] === "string" && /^[a-z]:$/i.test(pattern[0]);
      const patternUNC = !patternDrive && pattern[0] === "" && pattern[1] === "" && pattern[2] === "?" && typeof pattern[3] === "string" && /^[a-z]:$/i.test(pattern[3]);
      const fdi = fileUNC ? 3 : fileDrive ? 0 : void 0;
      const pdi = patternUNC ? 3 : patternDrive ? 0 : void 0;
      if (typeof fdi === "number" && typeof pdi === "number") {
        const [fd, pd] = [
          file[fdi],
          pattern[pdi]
        ];
        if (fd.toLowerCase() === pd.toLowerCase()) {
          patternStartIndex = pdi + 1;
          fileStartIndex = fdi + 1;
        }
      }
    }
    file = resolved;
    if (pattern.includes(GLOBSTAR)) {
      return this.#matchGlobstar(file, pattern, partial, fileStartIndex, patternStartIndex);
    }
    return this.#matchOne(file, pattern, partial, fileStartIndex, patternStartIndex);
  }
  #matchGlobstar(file, pattern, partial, fileIndex, patternIndex) {
    const { head, body: body2, tail, segments } = this.#getGlobstarParts(pattern, partial, patternIndex);
    if (head.length) {
      const headEnd = fileIndex + head.length;
      if (!this.#matchOne(file, head, partial, fileIndex, 0, headEnd)) {
        return false;
      }
      fileIndex += head.length;
      patternIndex += head.length;
    }
    let fileTailMatch = 0;
    if (tail.length) {
      if (tail.length + fileIndex > file.length)
        return false;
      let tailStart = file.length - tail.length;
      if (this.#matchOne(file, tail, partial, tailStart, 0)) {
        fileTailMatch = tail.length;
      } else {
        if (file[file.length - 1] !== "" || fileIndex + tail.length === file.length) {
          return false;
        }
        tailStart--;
        if (!this.#matchOne(file, tail, partial, tailStart, 0)) {
          return false;
        }
        fileTailMatch = tail.length + 1;
      }
    }
    if (!body2.length) {
      let sawSome = !!fileTailMatch;
      for (let i2 = fileIndex; i2 < file.length - fileTailMatch; i2++) {
        const f = String(file[i2]);
        sawSome = true;
        if (f === "." || f === ".." || !this.options.dot && f.startsWith(".")) {
          return false;
        }
      }
      return partial || sawSome;
    }
    return !!this.#matchGlobStarBodySections(file, segments, file.length - fileTailMatch, fileIndex, 0, partial, 0, !!fileTailMatch, /* @__PURE__ */ new Set());
  }
  // Split the pattern into head, tail, and middle of ** delimited
  // parts. The tail has to be at the end, and the others just have to
  // be found in order from the head. These only depend on the pattern
  // row, so they are kept for the next path.
  #getGlobstarParts(pattern, partial, patternIndex) {
    let byStart = this.#globstarParts.get(pattern);
    if (!byStart) {
      byStart = [];
      this.#globstarParts.set(pattern, byStart);
    }
    const key = patternIndex * 2 + (partial ? 1 : 0);
    const found = byStart[key];
    if (found)
      return found;
    const firstgs = pattern.indexOf(GLOBSTAR, patternIndex);
    const lastgs = pattern.lastIndexOf(GLOBSTAR);
    const head = pattern.slice(patternIndex, firstgs);
    const body2 = pattern.slice(firstgs + 1, partial ? void 0 : lastgs);
    const tail = partial ? [] : pattern.slice(lastgs + 1);
    const segments = [[[], 0]];
    let current = segments[0];
    let nonGsParts = 0;
    const nonGsPartsSums = [0];
    for (const b of body2) {
      if (b === GLOBSTAR) {
        nonGsPartsSums.push(nonGsParts);
        current = [[], 0];
        segments.push(current);
      } else {
        current[0].push(b);
        nonGsParts++;
      }
    }
    segments.forEach((b, i2) => {
      b[1] = nonGsParts - nonGsPartsSums[i2];
    });
    const parts2 = { head, body: body2, tail, segments };
    byStart[key] = parts2;
    return parts2;
  }
  // return false for "nope, not matching"
  // return null for "not matching, cannot keep trying"
  #matchGlobStarBodySections(file, bodySegments, fileLength, fileIndex, bodyIndex, partial, globStarDepth, sawTail, tried) {
    const bs = bodySegments[bodyIndex];
    if (!bs) {
      if (partial) {
        return fileIndex >= fileLength || fileIndex === fileLength - 1 && file[fileIndex] === "";
      }
      for (let i2 = fileIndex; i2 < fileLength; i2++) {
        sawTail = true;
        const f = file[i2];
        if (f === "." || f === ".." || !this.options.dot && f.startsWith(".")) {
          return false;
        }
      }
      return sawTail;
    }
    const [body2, need] = bs;
    const after = partial ? fileLength : fileLength - need;
    while (fileIndex <= after) {
      const key = bodyIndex * (file.length + 1) + fileIndex;
      if (tried.has(key))
        return false;
      tried.add(key);
      const m = this.#matchOne(file, body2, partial, fileIndex, 0, fileIndex + body2.length);
      if (m && globStarDepth < this.maxGlobstarRecursion) {
        const sub = this.#matchGlobStarBodySections(file, bodySegments, fileLength, fileIndex + body2.length, bodyIndex + 1, partial, globStarDepth + 1, sawTail, tried);
        if (sub !== false) {
          return sub;
        }
      }
      if (fileIndex === after)
        break;
      const f = file[fileIndex];
      if (f === "." || f === ".." || !this.options.dot && f.startsWith(".")) {
        return false;
      }
      fileIndex++;
    }
    return partial || null;
  }
  #matchOne(file, pattern, partial, fileIndex, patternIndex, fileEnd = file.length) {
    let fi;
    let pi;
    let pl;
    let fl;
    for (fi = fileIndex, pi = patternIndex, fl = Math.min(fileEnd, file.length), pl = pattern.length; fi < fl && pi < pl; fi++, pi++) {
      let p = pattern[pi];
      let f = file[fi];
      if (p === false || p === GLOBSTAR) {
        return false;
      }
      if (!portionMatch(p, f))
        return false;
    }
    if (fi === fl && pi === pl) {
      return true;
    } else if (fi === fl) {
      return partial;
    } else if (pi === pl) {
      return fi === fl - 1 && file[fi] === "";
    } else {
      throw new Error("wtf?");
    }
  }
  braceExpand() {
    return braceExpand(this.pattern, this.options);
  }
  // Expand braces, except numeric ranges such as {0..999} with at
  // least RANGE_MIN values. Each of those stays in its pattern as
  // `<mark>0..999<mark>`, for the Matcher to test. If a range might
  // be inside a [...] class, expand all of them instead.
  #expandBraces() {
    const { pattern } = this;
    if (this.options.nobrace)
      return this.braceExpand();
    let code = 57344;
    while (pattern.includes(String.fromCharCode(code))) {
      if (++code > 63743)
        return this.braceExpand();
    }
    const mark = String.fromCharCode(code);
    let found = false;
    const marked = pattern.replace(rangeRe, (m, lo, hi) => {
      const a = Number(lo);
      const b = Number(hi);
      if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || Math.abs(a - b) + 1 < RANGE_MIN) {
        return m;
      }
      found = true;
      return `${mark}${lo}..${hi}${mark}`;
    });
    if (!found)
      return this.braceExpand();
    const set = braceExpand(marked, this.options);
    for (const p of set) {
      for (const portion of p.split("/")) {
        const c = portion.indexOf("[");
        if (c !== -1 && c < portion.lastIndexOf(mark)) {
          return this.braceExpand();
        }
        if (!this.options.noext && inRepeatOrNegExt(portion, mark)) {
          return this.braceExpand();
        }
      }
    }
    this.#rangeMark = mark;
    return set;
  }
  parse(pattern) {
    assertValidPattern(pattern);
    const options = this.options;
    if (pattern === "**")
      return GLOBSTAR;
    if (pattern === "")
      return "";
    const { nocase, nocaseMagicOnly, noext = false, dot, normalize: normalize2 } = options;
    const rangeMark = this.#rangeMark;
    const lit2 = rangeMark && pattern.includes(rangeMark) ? void 0 : literal(pattern, noext);
    if (lit2 !== void 0 && !(nocase && !nocaseMagicOnly && pattern.toUpperCase() !== pattern.toLowerCase())) {
      return this.#norm(lit2);
    }
    if (this.#pending)
      return PENDING;
    let m = this.#matchers.get(pattern);
    if (!m) {
      if (!noext)
        assertValidExtglobs(pattern);
      m = new Matcher(pattern, {
        nocase,
        noext,
        dot,
        normalize: normalize2,
        ...rangeMark && { rangeMark }
      });
      this.#matchers.set(pattern, m);
    }
    return m;
  }
  #slashSplit(p) {
    if (this.preserveMultipleSlashes) {
      return p.split("/");
    } else if (this.isWindows && /^\/\/[^/]+/.test(p)) {
      return ["", ...p.split(/\/+/)];
    } else {
      return p.split(/\/+/);
    }
  }
  match(f, partial = this.partial) {
    if (this.comment) {
      return false;
    }
    if (this.empty) {
      return f === "";
    }
    if (f === "/" && partial) {
      return true;
    }
    const options = this.options;
    let split = this.#cachedSplit(f);
    if (!split) {
      if (!partial && !this.#form && (this.#endCheck || this.#literalCheck) && lastChecked !== f) {
        lastChecked = f;
        const can = this.#canMatch(f);
        if (can === "no")
          return options.flipNegate ? false : this.negate;
        if (can === "yes")
          return options.flipNegate ? true : !this.negate;
      }
      split = this.#split(f);
    }
    const ff = split.parts;
    const resolved = this.#level2 ? split.resolved ??= this.#levelTwoFileOptimize(ff) : ff;
    const set = this.set;
    let filename = ff[ff.length - 1];
    if (!filename) {
      for (let i2 = ff.length - 2; !filename && i2 >= 0; i2--) {
        filename = ff[i2];
      }
    }
    for (let r = 0; r < set.length; r++) {
      const pattern = set[r];
      const shape = partial ? void 0 : this.#shapes[r];
      const hit = shape === "base" ? portionMatch(pattern[0], filename) : shape ? this.#matchShape(resolved, pattern, shape) : options.matchBase && pattern.length === 1 ? this.#matchRow([filename], [filename], pattern, partial) : this.#matchRow(ff, resolved, pattern, partial);
      if (hit) {
        if (options.flipNegate) {
          return true;
        }
        return !this.negate;
      }
    }
    if (options.flipNegate) {
      return false;
    }
    return this.negate;
  }
  static defaults(def) {
    return minimatch.defaults(def).Minimatch;
  }
};
minimatch.Minimatch = Minimatch;
minimatch.escape = escape2;
minimatch.unescape = unescape;

// src/core/image-ref.ts
var DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
var TAG_RE = /^[\w][\w.-]{0,127}$/;
var PATH_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
var DOCKER_HUB = "docker.io";
function parseImageRef(raw) {
  let rest = raw.trim();
  if (!rest) return void 0;
  let digest;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) return void 0;
  }
  let tag;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) return void 0;
  }
  let registry = DOCKER_HUB;
  const slash = rest.indexOf("/");
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes(".") || first.includes(":") || first === "localhost") {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = DOCKER_HUB;
  if (!PATH_RE.test(rest)) return void 0;
  const repository = registry === DOCKER_HUB && !rest.includes("/") ? `library/${rest}` : rest;
  return { raw, registry, repository, tag, digest };
}
function imageName(ref) {
  return `${ref.registry}/${ref.repository}`;
}

// src/core/rules/util/stages.ts
function positionInArgs(instr, offset) {
  const pieces = instr.raw.pieces;
  let start2 = 0;
  let line = instr.line;
  let first = true;
  for (let k = 0; k < pieces.length; k += 2) {
    if (pieces[k] > offset) break;
    start2 = pieces[k];
    line = pieces[k + 1];
    first = k === 0;
  }
  const column = first ? instr.column + instr.keyword.length + offset : offset - start2 + 1;
  return { line, column: Math.max(1, column) };
}
function wordPosition(instr, wordIndex) {
  const w = instr.words[wordIndex];
  if (!w) return { line: instr.line, column: instr.column };
  return positionInArgs(instr, instr.restOffset + w.offset);
}
function flagPosition(instr, name2) {
  const head = instr.args.slice(0, instr.restOffset).toLowerCase();
  const at = head.search(new RegExp(`--${name2.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?=[=\\s]|$)`));
  return at < 0 ? { line: instr.line, column: instr.column } : positionInArgs(instr, at);
}
function parseMountOptions(value) {
  const fields = [];
  let cur = "";
  let quote = false;
  for (let i2 = 0; i2 < value.length; i2++) {
    const c = value[i2];
    if (c === '"') {
      if (quote && value[i2 + 1] === '"') {
        cur += '"';
        i2++;
      } else quote = !quote;
    } else if (c === "," && !quote) {
      fields.push(cur);
      cur = "";
    } else cur += c;
  }
  fields.push(cur);
  const out2 = /* @__PURE__ */ new Map();
  for (const f of fields) {
    const t = f.trim();
    if (!t) continue;
    const eq = t.indexOf("=");
    if (eq < 0) out2.set(t.toLowerCase(), "");
    else out2.set(t.slice(0, eq).trim().toLowerCase(), t.slice(eq + 1).trim());
  }
  return out2;
}
function stageNamed(model, name2) {
  const lower = name2.toLowerCase();
  return model.stages.find((s) => s.name === lower);
}
function looksLikeImage(value) {
  return /[/:.@]/.test(value);
}
function isTemplated(text) {
  return /\{\{|\{%|%\}|\}\}|%%[A-Za-z0-9_]+%%/.test(text);
}
function classifyFrom(model, value) {
  if (/^\d+$/.test(value)) {
    const index = Number(value);
    const stage2 = model.stages[index];
    return stage2 ? { kind: "stage", stage: stage2, byIndex: true } : { kind: "bad-index", index };
  }
  const stage = stageNamed(model, value);
  if (stage) return { kind: "stage", stage, byIndex: false };
  return { kind: "image", ref: parseImageRef(value), looksLikeImage: looksLikeImage(value) };
}
var VAR_NAME_RE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
function variableNames(text) {
  return [...text.matchAll(VAR_NAME_RE)].map((m) => m[1]);
}
function* fromSources(model) {
  for (const instr of model.instructions) {
    if (instr.stage < 0) continue;
    if (instr.keyword === "COPY") {
      for (const f of instr.flags) {
        if (f.name !== "from" || f.value === void 0 || f.value === "") continue;
        const vars = variableNames(f.value);
        yield {
          instr,
          what: "COPY --from",
          value: f.value,
          resolved: f.value,
          unresolved: vars,
          hasVariables: vars.length > 0,
          position: flagPosition(instr, "from")
        };
      }
    } else if (instr.keyword === "RUN") {
      for (const f of instr.flags) {
        if (f.name !== "mount" || !f.value) continue;
        const from = parseMountOptions(f.value).get("from");
        if (!from) continue;
        const sub = instr.resolve(from);
        yield {
          instr,
          what: "RUN --mount from",
          value: from,
          resolved: sub.value,
          unresolved: sub.unresolved,
          hasVariables: from.includes("$"),
          position: flagPosition(instr, "mount")
        };
      }
    }
  }
}
function describeSource(s) {
  return `${s.what}=${s.value}`;
}
function sourceSubject(s) {
  return s.what === "COPY --from" ? "COPY --from image" : "RUN --mount image";
}
var HUB_ALIASES = ["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "hub.docker.com"];
function imageNames(ref) {
  const full = `${ref.registry}/${ref.repository}`;
  const names = [full];
  if (ref.registry === DOCKER_HUB) {
    const short = ref.repository.startsWith("library/") ? ref.repository.slice("library/".length) : ref.repository;
    names.push(short);
    if (short !== ref.repository) names.push(`${DOCKER_HUB}/${short}`);
  }
  return names;
}
function normalizeRegistryGlob(glob) {
  const g = glob.trim().replace(/^[a-z]+:\/\//i, "").replace(/\/+$/, "");
  for (const alias of HUB_ALIASES) {
    if (g === alias) return DOCKER_HUB;
    if (g.startsWith(alias + "/")) return DOCKER_HUB + g.slice(alias.length);
  }
  return g;
}
function globMatches(candidates, globs) {
  for (const raw of globs) {
    const glob = normalizeRegistryGlob(raw);
    if (!glob) continue;
    if (candidates.some((c) => minimatch(c, glob, { dot: true, nocase: true }))) return raw;
  }
  return void 0;
}
function repoText(ref) {
  let s = ref.raw.trim();
  const at = s.indexOf("@");
  if (at >= 0) s = s.slice(0, at);
  const colon = s.lastIndexOf(":");
  if (colon > s.lastIndexOf("/")) s = s.slice(0, colon);
  return s;
}
function editDistance(a, b) {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i2 = 1; i2 <= a.length; i2++) {
    let diag = prev[0];
    prev[0] = i2;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i2 - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
function closestName(name2, names) {
  const lower = name2.toLowerCase();
  let best;
  let bestD = Infinity;
  for (const n of names) {
    const d = editDistance(lower, n);
    if (d < bestD) {
      best = n;
      bestD = d;
    }
  }
  if (best === void 0) return void 0;
  const limit = Math.max(1, Math.min(3, Math.floor(Math.max(lower.length, best.length) / 3)));
  return bestD <= limit ? best : void 0;
}
function keywordAsWritten(model, instr) {
  const text = model.lines[instr.line - 1] ?? "";
  return text.slice(instr.column - 1, instr.column - 1 + instr.keyword.length);
}
function asWordIndex(instr) {
  return instr.words.findIndex((w, k) => k > 0 && w.value.toLowerCase() === "as");
}

// src/core/rules/util/packages.ts
var SHELLS = /* @__PURE__ */ new Set(["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"]);
var runCache = /* @__PURE__ */ new WeakMap();
function programOf(cmd) {
  return cmd.program;
}
function shellScriptArg(cmd) {
  const prog = programOf(cmd);
  const args2 = prog === "busybox" && cmd.args[0] === "sh" ? cmd.args.slice(1) : cmd.args;
  if (!SHELLS.has(prog) && prog !== "busybox") return void 0;
  let sawC = false;
  for (let i2 = 0; i2 < args2.length; i2++) {
    const a = args2[i2];
    if (!sawC && (a === "-o" || a === "+o" || a === "-O" || a === "+O")) {
      i2++;
      continue;
    }
    if (a === "--") continue;
    if (/^-[A-Za-z]+$/.test(a)) {
      if (a.includes("c")) sawC = true;
      continue;
    }
    if (a.startsWith("--")) continue;
    return sawC ? a : void 0;
  }
  return void 0;
}
function expand2(cmds, depth) {
  const out2 = [];
  for (const c of cmds) {
    out2.push(c);
    if (depth >= 3) continue;
    const script = shellScriptArg(c);
    if (script === void 0 || !/[A-Za-z]/.test(script)) continue;
    let inner;
    try {
      inner = parseShell(script).commands;
    } catch {
      continue;
    }
    for (const k of inner) k.line = c.line;
    out2.push(...expand2(inner, depth + 1));
  }
  return out2;
}
function execCommand(instr, json) {
  if (json.length === 0) return void 0;
  const program = (json[0].split("/").pop() ?? json[0]).toLowerCase();
  return { name: json[0], program, args: json.slice(1), wrappers: [], assignments: [], offset: 0, line: instr.line };
}
function runInfos(model) {
  const cached = runCache.get(model);
  if (cached) return cached;
  const out2 = [];
  for (const instr of model.instructions) {
    if (instr.keyword !== "RUN") continue;
    const stage = instr.stage >= 0 ? model.stages[instr.stage] : void 0;
    let base = [];
    if (instr.json) {
      const c = execCommand(instr, instr.json);
      if (c) base = [c];
    } else {
      base = model.shellOf(instr)?.commands ?? [];
    }
    out2.push({ instr, stage, commands: shellParserReady() ? expand2(base, 0) : base });
  }
  runCache.set(model, out2);
  return out2;
}
function shippedStages(model) {
  const out2 = /* @__PURE__ */ new Set();
  for (const s of model.stages) {
    if (!model.isShipped(s)) continue;
    let cur = s;
    while (cur && !out2.has(cur.index)) {
      out2.add(cur.index);
      cur = cur.from.stageRef !== void 0 ? model.stages[cur.from.stageRef] : void 0;
    }
  }
  return out2;
}
function stageLineage(model, stage) {
  const out2 = [];
  let cur = stage;
  while (cur && !out2.includes(cur)) {
    out2.push(cur);
    cur = cur.from.stageRef !== void 0 ? model.stages[cur.from.stageRef] : void 0;
  }
  return out2;
}
function instructionsBefore(model, instr) {
  const stage = instr.stage >= 0 ? model.stages[instr.stage] : void 0;
  const out2 = [];
  for (const s of stageLineage(model, stage)) {
    for (const i2 of s.instructions) if (s !== stage || i2.index < instr.index) out2.push(i2);
  }
  return out2;
}
function envValue(model, instr, name2) {
  const own = instr.resolve("${" + name2 + "}");
  if (own.unresolved.length === 0) return own.value;
  const stage = instr.stage >= 0 ? model.stages[instr.stage] : void 0;
  for (const s of stageLineage(model, stage).slice(1)) {
    let v;
    for (const i2 of s.instructions) if (i2.keyword === "ENV") {
      for (const p of i2.pairs) if (p.key === name2) v = p.value;
    }
    if (v !== void 0) return v;
  }
  return void 0;
}
function cacheMountTargets(instr) {
  const out2 = [];
  for (const f of instr.flags) {
    if (f.name !== "mount" || !f.value) continue;
    const o = parseMountOptions(f.value);
    const type = (o.get("type") ?? "bind").toLowerCase();
    if (type !== "cache" && type !== "tmpfs") continue;
    const target = o.get("target") ?? o.get("dst") ?? o.get("destination");
    if (target) out2.push(target.length > 1 ? target.replace(/\/+$/, "") : target);
  }
  return out2;
}
function mountCovers(instr, path11) {
  return cacheMountTargets(instr).some((t) => path11 === t || path11.startsWith(t.endsWith("/") ? t : t + "/"));
}
function removesPath(cmd, match2) {
  const prog = programOf(cmd);
  if (prog === "rm") return cmd.args.some((a) => !a.startsWith("-") && match2(a));
  if (prog === "find") {
    const deletes = cmd.args.includes("-delete") || cmd.args.some((a, k) => a === "-exec" && /(^|\/)rm$/.test(cmd.args[k + 1] ?? ""));
    return deletes && cmd.args.some((a) => !a.startsWith("-") && match2(a));
  }
  return false;
}
function parseCall(cmd, args2, spec, globalSpec = spec) {
  const opts2 = [];
  const operands = [];
  let afterDashes = [];
  for (let i2 = 0; i2 < args2.length; i2++) {
    const a = args2[i2];
    const global = operands.length === 0;
    const s = global ? globalSpec : spec;
    if (a === "--") {
      afterDashes = args2.slice(i2 + 1);
      break;
    }
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name2 = eq < 0 ? a.slice(2) : a.slice(2, eq);
      let value = eq < 0 ? void 0 : a.slice(eq + 1);
      if (value === void 0 && s.long?.includes(name2) && i2 + 1 < args2.length) value = args2[++i2];
      opts2.push({ name: name2, long: true, value, global });
      continue;
    }
    if (a.startsWith("-") && a.length > 1 && !/^-\d/.test(a)) {
      for (let k = 1; k < a.length; k++) {
        const c = a[k];
        if (a[k + 1] === "=") {
          opts2.push({ name: c, long: false, value: a.slice(k + 2), global });
          break;
        }
        if (s.short?.includes(c)) {
          let value = a.slice(k + 1);
          if (value === "") value = i2 + 1 < args2.length ? args2[++i2] : void 0;
          opts2.push({ name: c, long: false, value, global });
          break;
        }
        opts2.push({ name: c, long: false, global });
      }
      continue;
    }
    operands.push(a);
  }
  const [sub, ...rest] = operands;
  return { cmd, program: programOf(cmd), opts: opts2, sub, operands: rest, afterDashes };
}
function hasOpt(call, ...names) {
  return call.opts.some((o) => names.includes(o.name));
}
function optCount(call, name2) {
  return call.opts.filter((o) => o.name === name2).length;
}
function optValues(call, ...names) {
  return call.opts.filter((o) => names.includes(o.name) && o.value !== void 0).map((o) => o.value);
}
function isDynamic(word) {
  return word.includes("$") || word.includes("`");
}
var TRUE_RE = /^(1|true|yes|on)$/i;
var FALSE_RE = /^(0|false|no|off)$/i;
function isTrue(v) {
  return v !== void 0 && TRUE_RE.test(v.trim().replace(/^["']|["']$/g, ""));
}
function isFalse(v) {
  return v !== void 0 && FALSE_RE.test(v.trim().replace(/^["']|["']$/g, ""));
}
var APT_SPEC = {
  short: "octaP",
  long: ["option", "config-file", "target-release", "default-release", "host-architecture", "build-profiles"]
};
function aptCall(cmd, programs = ["apt-get"]) {
  const prog = programOf(cmd);
  if (!programs.includes(prog)) return void 0;
  return parseCall(cmd, cmd.args, APT_SPEC);
}
function aptSettings(call) {
  const out2 = /* @__PURE__ */ new Map();
  for (const v of optValues(call, "o", "option")) {
    const eq = v.indexOf("=");
    if (eq > 0) out2.set(v.slice(0, eq).trim().toLowerCase(), v.slice(eq + 1).trim());
  }
  return out2;
}
function aptDryRun(call) {
  return hasOpt(call, "s", "simulate", "just-print", "dry-run", "recon", "no-act") || isTrue(aptSettings(call).get("apt::get::simulate"));
}
function configWritten(model, instr, beforeCmd, re) {
  const infos = runInfos(model);
  const check = (i2) => {
    if (i2.heredocs.some((h) => re.test(h.body))) return true;
    if (i2.keyword !== "RUN") return false;
    const info2 = infos.find((r) => r.instr === i2);
    for (const c of info2?.commands ?? []) {
      if (i2 === instr && beforeCmd && c === beforeCmd) break;
      const p = programOf(c);
      if ((p === "echo" || p === "printf") && c.args.some((a) => re.test(a))) return true;
    }
    return false;
  };
  return instructionsBefore(model, instr).some(check) || check(instr);
}
var APK_SPEC = {
  short: "Xtp",
  long: ["repository", "virtual", "root", "arch", "cache-dir", "keys-dir", "repositories-file", "cache-max-age", "timeout", "progress-fd", "wait", "from"]
};
function apkCall(cmd) {
  if (programOf(cmd) !== "apk") return void 0;
  return parseCall(cmd, cmd.args, APK_SPEC);
}
var RPM_MANAGERS = ["yum", "dnf", "dnf5", "microdnf", "tdnf"];
var YUM_SPEC = {
  short: "cdexR",
  long: [
    "config",
    "debuglevel",
    "errorlevel",
    "rpmverbosity",
    "exclude",
    "excludepkgs",
    "includepkgs",
    "enablerepo",
    "disablerepo",
    "repo",
    "repoid",
    "setopt",
    "installroot",
    "releasever",
    "color",
    "destdir",
    "downloaddir",
    "forcearch",
    "disableexcludes",
    "disableplugin",
    "enableplugin",
    "repofrompath",
    "comment",
    "advisory",
    "advisories",
    "bz",
    "cve",
    "sec-severity",
    "secseverity",
    "use-host-config"
  ]
};
function yumCall(cmd) {
  if (!RPM_MANAGERS.includes(programOf(cmd))) return void 0;
  return parseCall(cmd, cmd.args, YUM_SPEC);
}
var ZYPPER_GLOBAL_SPEC = {
  short: "RDCcpx",
  long: [
    "root",
    "reposd-dir",
    "cache-dir",
    "raw-cache-dir",
    "solv-cache-dir",
    "pkg-cache-dir",
    "config",
    "userdata",
    "plus-repo",
    "plus-content",
    "installroot"
  ]
};
var ZYPPER_SPEC = { short: "trp", long: ["type", "repo", "from", "download", "oldpackage", "allow-vendor-change"] };
function zypperCall(cmd) {
  if (programOf(cmd) !== "zypper") return void 0;
  return parseCall(cmd, cmd.args, ZYPPER_SPEC, ZYPPER_GLOBAL_SPEC);
}
var PIP_RE = /^pip(\d+(\.\d+)?)?$/;
var PYTHON_RE = /^python(\d+(\.\d+)?)?$/;
var PIP_SPEC = {
  short: "rceiftbC",
  long: [
    "requirement",
    "constraint",
    "editable",
    "index-url",
    "extra-index-url",
    "find-links",
    "target",
    "prefix",
    "root",
    "src",
    "build",
    "platform",
    "python-version",
    "implementation",
    "abi",
    "no-binary",
    "only-binary",
    "progress-bar",
    "proxy",
    "retries",
    "timeout",
    "exists-action",
    "trusted-host",
    "cert",
    "client-cert",
    "cache-dir",
    "log",
    "python",
    "upgrade-strategy",
    "root-user-action",
    "use-feature",
    "use-deprecated",
    "keyring-provider",
    "config-settings",
    "global-option",
    "install-option",
    "report",
    "group",
    "log-file"
  ]
};
function pipInstallCall(cmd) {
  const prog = programOf(cmd);
  let args2;
  if (PIP_RE.test(prog)) args2 = cmd.args;
  else if (PYTHON_RE.test(prog)) {
    for (let i2 = 0; i2 < cmd.args.length; i2++) {
      const a = cmd.args[i2];
      if (a === "-m" && cmd.args[i2 + 1] === "pip" || a === "-mpip") {
        args2 = cmd.args.slice(a === "-m" ? i2 + 2 : i2 + 1);
        break;
      }
      if (!a.startsWith("-")) break;
      if (a === "-W" || a === "-X") i2++;
    }
  }
  if (!args2) return void 0;
  const call = parseCall(cmd, args2, PIP_SPEC);
  return call.sub === "install" ? call : void 0;
}
var NPM_INSTALL = /* @__PURE__ */ new Set(["install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall", "add"]);
var NPM_SPEC = {
  short: "wC",
  long: [
    "registry",
    "loglevel",
    "prefix",
    "cache",
    "userconfig",
    "globalconfig",
    "tag",
    "workspace",
    "omit",
    "include",
    "install-strategy",
    "before",
    "only",
    "location",
    "script-shell",
    "fetch-retries",
    "fetch-timeout",
    "proxy",
    "https-proxy",
    "cafile",
    "ca",
    "maxsockets",
    "save-prefix"
  ]
};
function npmInstallCall(cmd) {
  if (programOf(cmd) !== "npm") return void 0;
  const args2 = cmd.args.filter((a, k) => !(k > 0 && /^(true|false)$/.test(a) && cmd.args[k - 1].startsWith("--") && !cmd.args[k - 1].includes("=")));
  const call = parseCall(cmd, args2, NPM_SPEC);
  return call.sub !== void 0 && NPM_INSTALL.has(call.sub) ? call : void 0;
}
var GEM_SPEC = {
  short: "vinPgsB",
  long: [
    "version",
    "install-dir",
    "bindir",
    "trust-policy",
    "file",
    "source",
    "platform",
    "build-root",
    "document",
    "http-proxy",
    "config-file",
    "bulk-threshold",
    "target-rbconfig"
  ]
};
function gemInstallCall(cmd) {
  if (programOf(cmd) !== "gem") return void 0;
  const call = parseCall(cmd, cmd.args, GEM_SPEC);
  return call.sub === "install" || call.sub === "i" ? call : void 0;
}
function listPackages(names, max = 3) {
  const shown = names.slice(0, max).map((n) => `\`${n}\``);
  if (names.length > max) return `${shown.join(", ")} and ${names.length - max} more`;
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}
var PIN_OPTIONS_SCHEMA = {
  type: "object",
  properties: { ignore: { type: "array", items: { type: "string" } } },
  additionalProperties: false
};
var PIN_OPTIONS_DOC = "- `ignore` (string[], default `[]`): package names that may stay unpinned (compared without any version or extra, case-insensitively).";
var STAGES_OPTIONS_SCHEMA = {
  type: "object",
  properties: { "all-stages": { type: "boolean" } },
  additionalProperties: false
};
var STAGES_OPTIONS_DOC = "- `all-stages` (boolean, default `false`): also check stages that do not ship. By default only stages whose layers end up in the image are checked: the final stage (or the configured `targets`) and the stages they build `FROM`; a builder stage whose files are copied out with `COPY --from` does not make the image bigger.";
function isIgnored(name2, ignore) {
  if (!ignore || ignore.length === 0) return false;
  const lower = name2.toLowerCase();
  return ignore.some((i2) => i2.toLowerCase() === lower);
}

// src/core/rules/apk-no-cache.ts
var APK_CACHE = "/var/cache/apk";
function coversCache(path11) {
  return /^\/var\/cache\/apk\/?(\*)?$/.test(path11);
}
var apk_no_cache_default = defineRule({
  meta: {
    id: "apk-no-cache",
    aliases: ["DL3019", "DS-0025"],
    severity: "note",
    title: "apk add without --no-cache",
    description: [
      "`apk add` (and `apk update`, `apk add --update`) stores the package index in `/var/cache/apk`. Unless the same `RUN` deletes it, every image carries a few MB of index that nothing at run time needs.",
      "",
      "Write `apk add --no-cache <packages>`: apk fetches a fresh index into memory, installs, and leaves nothing behind, so `apk update` and `--update` are no longer needed either. Alternatives: end the `RUN` with `rm -rf /var/cache/apk/*`, or use a cache mount, `RUN --mount=type=cache,target=/var/cache/apk apk add ...` (the cache then speeds up rebuilds and stays out of the image).",
      "",
      "Only stages that ship are checked (see `all-stages`): a builder stage whose files are copied out with `COPY --from` does not make the image bigger."
    ].join("\n"),
    bad: "FROM alpine:3.20\nRUN apk update && apk add curl",
    good: "FROM alpine:3.20\nRUN apk add --no-cache curl",
    tags: ["best-practice", "image-size"],
    optionsSchema: STAGES_OPTIONS_SCHEMA,
    optionsDoc: STAGES_OPTIONS_DOC
  },
  defaultOptions: { "all-stages": false },
  check({ model, options, report }) {
    const shipped = shippedStages(model);
    for (const { instr, stage, commands } of runInfos(model)) {
      if (!options["all-stages"] && stage && !shipped.has(stage.index)) continue;
      if (mountCovers(instr, APK_CACHE) || mountCovers(instr, "/etc/apk/cache")) continue;
      commands.forEach((cmd, k) => {
        const call = apkCall(cmd);
        if (!call || call.sub !== "add" || hasOpt(call, "no-cache", "no-network")) return;
        if (commands.slice(k + 1).some((c) => removesPath(c, coversCache))) return;
        report({
          line: cmd.line,
          message: "`apk add` leaves the package index in /var/cache/apk: write `apk add --no-cache` (no `apk update` needed)"
        });
      });
    }
  }
});

// src/core/rules/apk-pin-versions.ts
function unpinnedApkPackage(arg) {
  if (/[=~<>]/.test(arg) || isDynamic(arg)) return false;
  if (/\.apk$/i.test(arg) || /^(\/|\.{1,2}\/|~)/.test(arg)) return false;
  if (/^(so|cmd|pc|py3?|ocaml4?|dbus):/.test(arg)) return false;
  return true;
}
function baseName2(arg) {
  return arg.replace(/@.*$/, "");
}
var apk_pin_versions_default = defineRule({
  meta: {
    id: "apk-pin-versions",
    aliases: ["DL3018"],
    severity: "warning",
    title: "apk add without pinned versions",
    description: [
      "Without a version, `apk add curl` installs whatever the Alpine mirror has on the day of the build, so two builds of the same Dockerfile can ship different software.",
      "",
      "Pin each package: `apk add curl=8.9.1-r2` for an exact version, or `curl~8.9` to accept patch and package revisions of 8.9 (`apk policy curl` or pkgs.alpinelinux.org shows the versions). `>`, `<` and `=~` constraints count as pinned. `.apk` files, paths, variables, provider names (`so:`, `cmd:`, `pc:`) and the name given to `--virtual`/`-t` are not reported.",
      "",
      "Alpine removes old package versions from a branch when it publishes a fix, so exact pins need regular updates (Renovate can do it); `~` pins break less often. List packages you do not want to pin in `ignore`."
    ].join("\n"),
    bad: "FROM alpine:3.20\nRUN apk add --no-cache curl",
    good: "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r2",
    tags: ["best-practice", "reproducibility"],
    optionsSchema: PIN_OPTIONS_SCHEMA,
    optionsDoc: PIN_OPTIONS_DOC
  },
  defaultOptions: { ignore: [] },
  check({ model, options, report }) {
    for (const { commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = apkCall(cmd);
        if (!call || call.sub !== "add" || hasOpt(call, "s", "simulate")) continue;
        const loose = call.operands.filter((p) => unpinnedApkPackage(p) && !isIgnored(baseName2(p), options.ignore));
        if (loose.length === 0) continue;
        const example = baseName2(loose[0]);
        report({
          line: cmd.line,
          message: `pin the version of ${listPackages(loose)} in apk add: write \`${example}=<version>\` or \`${example}~<major.minor>\` (\`apk policy ${example}\` lists them)`
        });
      }
    }
  }
});

// src/core/rules/apt-get-no-install-recommends.ts
var NO_RECOMMENDS_CONF = /APT::Install-Recommends\s*"?\s*(0|false|no|off)\b/i;
var apt_get_no_install_recommends_default = defineRule({
  meta: {
    id: "apt-get-no-install-recommends",
    aliases: ["DL3015", "DS-0029"],
    severity: "note",
    title: "apt-get install without --no-install-recommends",
    description: [
      "By default `apt-get install` also installs every package the requested ones merely *recommend*: documentation, GUI helpers, extra libraries. They make the image bigger, slower to pull and add packages (and CVEs) nobody asked for.",
      "",
      'Write `apt-get install -y --no-install-recommends <packages>` and list what you really need. `-o APT::Install-Recommends=false`, or an `APT::Install-Recommends "false";` apt configuration written earlier in the stage (`/etc/apt/apt.conf.d/`), work too.'
    ].join("\n"),
    bad: "FROM debian:12\nRUN apt-get update && apt-get install -y curl",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl",
    tags: ["best-practice", "image-size"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { instr, commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = aptCall(cmd);
        if (!call || call.sub !== "install" || aptDryRun(call)) continue;
        if (hasOpt(call, "no-install-recommends")) continue;
        if (call.opts.some((o) => o.name === "install-recommends" && isFalse(o.value))) continue;
        if (isFalse(aptSettings(call).get("apt::install-recommends"))) continue;
        if (configWritten(model, instr, cmd, NO_RECOMMENDS_CONF)) continue;
        report({
          line: cmd.line,
          message: "`apt-get install` also installs recommended packages: write `apt-get install --no-install-recommends`"
        });
      }
    }
  }
});

// src/core/rules/apt-get-yes.ts
var PROMPTING = /* @__PURE__ */ new Set(["install", "remove", "purge", "autoremove", "autopurge", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "reinstall"]);
var ASSUME_YES_CONF = /APT::Get::Assume-Yes\s*"?\s*(1|true|yes|on)\b/i;
function quietLevel(call) {
  let level = optCount(call, "q") + call.opts.filter((o) => o.name === "quiet" && o.value === void 0).length;
  for (const v of optValues(call, "q", "quiet")) if (/^\d+$/.test(v)) level = Math.max(level, Number(v));
  return level;
}
function answersYes(call) {
  if (hasOpt(call, "y", "yes", "assume-yes")) return true;
  if (quietLevel(call) >= 2) return true;
  if (aptDryRun(call)) return true;
  return isTrue(aptSettings(call).get("apt::get::assume-yes"));
}
var apt_get_yes_default = defineRule({
  meta: {
    id: "apt-get-yes",
    aliases: ["DL3014", "DS-0021"],
    severity: "warning",
    title: "apt-get install without -y",
    description: [
      "A build has no terminal: when `apt-get install` (or `remove`, `purge`, `upgrade`, `dist-upgrade`, `build-dep` ...) wants to confirm, it reads end-of-file, prints `Abort.` and the build fails, typically as soon as a package pulls in a dependency.",
      "",
      'Pass `-y` (`--yes`, `--assume-yes`) so apt-get never waits for an answer. `-qq` also implies `-y`, as do `-o APT::Get::Assume-Yes=true`, an `APT::Get::Assume-Yes "true";` apt configuration written earlier in the stage, and piping `yes` into the command.',
      "",
      "`DEBIAN_FRONTEND=noninteractive` does not answer this prompt; it only silences debconf questions. `apt` (instead of `apt-get`) is reported by `apt-not-apt-get`."
    ].join("\n"),
    bad: "FROM debian:12\nRUN apt-get update && apt-get install curl",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y curl",
    tags: ["best-practice", "reliability"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { instr, commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = aptCall(cmd);
        if (!call || !call.sub || !PROMPTING.has(call.sub)) continue;
        if (answersYes(call)) continue;
        if (cmd.pipeline && cmd.pipeline.indexOf(cmd) > 0 && cmd.pipeline.slice(0, cmd.pipeline.indexOf(cmd)).some((c) => programOf(c) === "yes")) continue;
        if (configWritten(model, instr, cmd, ASSUME_YES_CONF)) continue;
        report({
          line: cmd.line,
          message: `\`apt-get ${call.sub}\` without -y waits for a confirmation the build cannot give: write \`apt-get ${call.sub} -y\``
        });
      }
    }
  }
});

// src/core/rules/apt-lists-cleanup.ts
var LISTS = "/var/lib/apt/lists";
function coversLists(path11) {
  const p = path11.replace(/\/+$/, "");
  return p === LISTS || p === "/var/lib/apt" || /^\/var\/lib\/apt(\/lists)?\/\*+$/.test(p) || p === `${LISTS}/*.*`;
}
function cleansLists(cmd) {
  if (removesPath(cmd, coversLists)) return true;
  const call = aptCall(cmd, ["apt-get", "apt"]);
  return call?.sub === "dist-clean" || call?.sub === "distclean";
}
function isIndexUpdate(cmd) {
  const call = aptCall(cmd, ["apt-get", "apt", "aptitude"]);
  return call?.sub === "update";
}
var apt_lists_cleanup_default = defineRule({
  meta: {
    id: "apt-lists-cleanup",
    aliases: ["DL3009"],
    severity: "note",
    title: "apt lists left in the image",
    description: [
      "`apt-get update` downloads the package index to `/var/lib/apt/lists` (tens of MB). When the same `RUN` does not delete it, the index is stored in that layer forever: a later `RUN rm` hides the files but does not make the image smaller.",
      "",
      "End the `RUN` that runs `apt-get update` with `rm -rf /var/lib/apt/lists/*`:",
      "",
      "```dockerfile",
      "RUN apt-get update \\",
      " && apt-get install -y --no-install-recommends curl \\",
      " && rm -rf /var/lib/apt/lists/*",
      "```",
      "",
      "(`apt-get dist-clean`, apt 2.7 and later, deletes the lists too), or keep the index out of the layer with a cache mount: `RUN --mount=type=cache,target=/var/lib/apt/lists ...` (a cache or tmpfs mount on `/var/lib/apt` works too). The removal must come after the last update of the `RUN`.",
      "",
      "Only stages that ship are checked (see `all-stages`), as hadolint does: the files of a builder stage reach the image only through `COPY --from`."
    ].join("\n"),
    bad: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*",
    tags: ["best-practice", "image-size"],
    optionsSchema: STAGES_OPTIONS_SCHEMA,
    optionsDoc: STAGES_OPTIONS_DOC
  },
  defaultOptions: { "all-stages": false },
  check({ model, options, report }) {
    const shipped = shippedStages(model);
    for (const { instr, stage, commands } of runInfos(model)) {
      if (!options["all-stages"] && stage && !shipped.has(stage.index)) continue;
      if (mountCovers(instr, LISTS)) continue;
      let lastUpdate = -1;
      commands.forEach((c, k) => {
        if (isIndexUpdate(c)) lastUpdate = k;
      });
      if (lastUpdate < 0) continue;
      if (commands.slice(lastUpdate + 1).some(cleansLists)) continue;
      const update = commands[lastUpdate];
      report({
        line: update.line,
        message: `\`${programOf(update)} update\` leaves the package lists in this layer: end the same RUN with \`rm -rf /var/lib/apt/lists/*\``
      });
    }
  }
});

// src/core/rules/apt-not-apt-get.ts
var APT_GET = /* @__PURE__ */ new Set([
  "install",
  "reinstall",
  "remove",
  "purge",
  "autoremove",
  "autopurge",
  "update",
  "upgrade",
  "dist-upgrade",
  "build-dep",
  "source",
  "download",
  "clean",
  "autoclean",
  "auto-clean",
  "distclean",
  "dist-clean",
  "satisfy",
  "check",
  "changelog"
]);
var APT_CACHE = /* @__PURE__ */ new Set(["search", "show", "showsrc", "policy", "depends", "rdepends", "madison", "showpkg", "pkgnames", "dump"]);
function replacement(sub) {
  if (sub === void 0) return "apt-get or apt-cache";
  if (APT_GET.has(sub)) return `apt-get ${sub}`;
  if (sub === "full-upgrade") return "apt-get dist-upgrade";
  if (APT_CACHE.has(sub)) return `apt-cache ${sub}`;
  if (sub === "list") return "dpkg-query -W (installed packages) or apt-cache policy";
  return "apt-get or apt-cache";
}
var apt_not_apt_get_default = defineRule({
  meta: {
    id: "apt-not-apt-get",
    aliases: ["DL3027", "CKV_DOCKER_9"],
    severity: "warning",
    title: "apt used instead of apt-get",
    description: [
      "`apt` is the interactive front end for people at a terminal. Its command-line interface is not stable (it prints `WARNING: apt does not have a stable CLI interface. Use with caution in scripts.`), its output and defaults may change between releases, and it shows progress bars meant for humans.",
      "",
      "In a Dockerfile use the script-oriented tools: `apt-get` for `update`, `install`, `remove`, `purge`, `upgrade` (`apt full-upgrade` is `apt-get dist-upgrade`), and `apt-cache` for `search`, `show`, `policy`, `depends`. `apt list --installed` becomes `dpkg-query -W`."
    ].join("\n"),
    bad: "FROM debian:12\nRUN apt update && apt install -y curl",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y curl",
    tags: ["best-practice", "reliability"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = aptCall(cmd, ["apt"]);
        if (!call) continue;
        const sub = call.sub === void 0 ? "" : ` ${call.sub}`;
        report({
          line: cmd.line,
          message: `\`apt${sub}\` is meant for interactive use and has no stable CLI: write \`${replacement(call.sub)}\` instead`
        });
      }
    }
  }
});

// src/core/rules/apt-pin-versions.ts
function unpinnedAptPackage(arg) {
  if (arg.includes("=") || isDynamic(arg)) return false;
  if (/\.deb$/i.test(arg) || /^(\/|\.{1,2}\/|~)/.test(arg)) return false;
  if (arg.endsWith("-")) return false;
  return true;
}
var apt_pin_versions_default = defineRule({
  meta: {
    id: "apt-pin-versions",
    aliases: ["DL3008"],
    severity: "warning",
    title: "apt-get install without pinned versions",
    description: [
      "Without a version, `apt-get install curl` installs whatever the mirror has on the day of the build: two builds of the same Dockerfile can ship different packages, and a rebuild can break or change behaviour without any change to the source.",
      "",
      "Pin each package with `pkg=<version>` (`apt-cache policy pkg` or `apt-cache madison pkg` shows the versions): `apt-get install -y curl=7.88.1-10+deb12u5`. Version wildcards such as `curl=7.88.*` are accepted. Local `.deb` files, paths, variables (`$PACKAGES`) and removals (`pkg-`) are not reported.",
      "",
      "Unlike hadolint, a release pin such as `curl/bookworm-backports` is reported: it still installs whatever version that release has today.",
      "",
      "Pinned versions disappear from the mirrors when Debian or Ubuntu publish a fix, so pinning means updating the pins regularly (a bot such as Renovate can do it). If that is not a trade-off you want for some packages, list them in `ignore`."
    ].join("\n"),
    bad: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5",
    tags: ["best-practice", "reproducibility"],
    optionsSchema: PIN_OPTIONS_SCHEMA,
    optionsDoc: PIN_OPTIONS_DOC
  },
  defaultOptions: { ignore: [] },
  check({ model, options, report }) {
    for (const { commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = aptCall(cmd);
        if (!call || call.sub !== "install" || aptDryRun(call)) continue;
        const loose = call.operands.filter((p) => unpinnedAptPackage(p) && !isIgnored(p.replace(/\/.*$/, ""), options.ignore));
        if (loose.length === 0) continue;
        const example = loose[0].replace(/\/.*$/, "");
        report({
          line: cmd.line,
          message: `pin the version of ${listPackages(loose)} in apt-get install: write \`${example}=<version>\` (\`apt-cache policy ${example}\` lists them)`
        });
      }
    }
  }
});

// src/core/rules/apt-upgrade.ts
var UPGRADES = /* @__PURE__ */ new Set(["upgrade", "dist-upgrade", "full-upgrade"]);
var apt_upgrade_default = defineRule({
  meta: {
    id: "apt-upgrade",
    aliases: ["DL3005", "DS-0024"],
    severity: "note",
    title: "apt-get upgrade in a Dockerfile",
    description: [
      "`apt-get upgrade` / `dist-upgrade` upgrades every package of the base image to whatever the mirror has on the day of the build. The result depends on the build date rather than on the Dockerfile, duplicates a whole set of the base image's files into a new layer, and hides the real problem: an outdated base image.",
      "",
      "Build on a recent, pinned base image and rebuild when it is updated (Renovate or Dependabot can bump the digest); the distribution images are rebuilt for security fixes. When one package needs a fix that the base image does not have yet, upgrade that package alone: `apt-get install -y --only-upgrade <package>`."
    ].join("\n"),
    bad: "FROM debian:12\nRUN apt-get update && apt-get -y upgrade",
    good: "FROM debian:12.7\nRUN apt-get update && apt-get install -y --only-upgrade openssl",
    tags: ["best-practice", "reproducibility"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = aptCall(cmd, ["apt-get", "apt"]);
        if (!call || !call.sub || !UPGRADES.has(call.sub) || aptDryRun(call)) continue;
        report({
          line: cmd.line,
          message: `\`${call.program} ${call.sub}\` makes the image depend on the build date: use a newer base image, or \`apt-get install --only-upgrade <package>\` for a single fix`
        });
      }
    }
  }
});

// src/core/rules/chmod-777.ts
function chmodMode(cmd) {
  const a = cmd.args;
  for (let k = 0; k < a.length; k++) {
    const arg = a[k];
    if (arg === "--") return a[k + 1] === void 0 ? void 0 : { mode: a[k + 1], targets: a.slice(k + 2) };
    if (arg.startsWith("--reference")) return void 0;
    if (arg.startsWith("--") || /^-[RvcfHLP]+$/.test(arg)) continue;
    return { mode: arg, targets: a.slice(k + 1).filter((t) => !t.startsWith("-")) };
  }
  return void 0;
}
var VALUE_OPTS = /* @__PURE__ */ new Set(["-o", "-g", "-t", "-S", "--owner", "--group", "--target-directory", "--suffix", "--context", "-Z"]);
function modeOption(cmd) {
  const a = cmd.args;
  let mode;
  const targets = [];
  for (let k = 0; k < a.length; k++) {
    const arg = a[k];
    if (arg === "--mode" || arg === "-m") {
      mode = a[++k];
    } else if (arg.startsWith("--mode=")) {
      mode = arg.slice(7);
    } else if (/^-[pvDdcCsb]*m/.test(arg)) {
      const rest = arg.slice(arg.indexOf("m") + 1);
      mode = rest || a[++k];
    } else if (VALUE_OPTS.has(arg)) {
      k++;
    } else if (!arg.startsWith("-")) {
      targets.push(arg);
    }
  }
  return mode === void 0 ? void 0 : { mode, targets };
}
function advice(mode) {
  return `grant only what the runtime user needs (e.g. chown app:app <dir> && chmod 755 <dir>, or COPY --chown=app:app)${/^0?777$/.test(mode) ? "; for a shared temp directory use 1777 (sticky bit)" : ""}`;
}
var chmod_777_default = defineRule({
  meta: {
    id: "chmod-777",
    aliases: [],
    severity: "warning",
    title: "World-writable permissions (chmod 777)",
    description: [
      "`chmod 777` (or `a+rwx`, `o+w`, `666`) lets every user in the container modify the files: any process that is compromised, whatever user it runs as, can replace binaries, scripts or configuration and persist its foothold. It is usually a shortcut around a permissions problem that `chown` solves properly.",
      "",
      "Give ownership to the user that needs to write (`chown -R app:app /app`, or `COPY --chown=app:app`) and use restrictive modes (`755` for directories, `644` for files, `750`/`640` when others need nothing).",
      "",
      'The rule reports `chmod` with a mode that grants write to others (octal with the others-write bit: `777`, `0666`, `757`; symbolic `o+w`, `a+rwx`, `a=rwx`, `go+w`), the same modes in `mkdir -m` / `install -m`, and `COPY --chmod` / `ADD --chmod`. Modes that also set the sticky bit (`1777`, `a+rwxt`) are the standard pattern for shared temp directories like `/tmp` and are not reported; symbolic modes without a "who" (`+w`) follow the umask and are not reported either.'
    ].join("\n"),
    bad: "FROM node:22-alpine\nCOPY . /app\nRUN chmod -R 777 /app",
    good: "FROM node:22-alpine\nCOPY --chown=node:node . /app\nRUN chmod -R 755 /app",
    tags: ["security"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== "COPY" && instr.keyword !== "ADD") continue;
      const flag = instr.flags.find((f) => f.name === "chmod");
      if (!flag?.value || !worldWritableMode(flag.value)) continue;
      report({
        line: instr.line,
        column: instr.column,
        message: `${instr.keyword} --chmod=${flag.value} makes the copied files world-writable: use --chown=<user> with --chmod=755 (directories/executables) or 644 (files)`
      });
    }
    for (const { cmd } of runCommandsDeep(model)) {
      const name2 = commandName(cmd);
      const found = name2 === "chmod" ? chmodMode(cmd) : name2 === "mkdir" || name2 === "install" ? modeOption(cmd) : void 0;
      if (!found || !worldWritableMode(found.mode)) continue;
      const what = found.targets.length > 0 ? clip(found.targets.join(" "), 50) : "the files";
      const shown = name2 === "chmod" ? `chmod ${found.mode}` : `${name2} -m ${found.mode}`;
      report({ line: cmd.line, message: `${shown} makes ${what} world-writable: ${advice(found.mode)}` });
    }
  }
});

// src/core/dockerfile/words.ts
function isSpace(c) {
  if (c === 32 || c >= 9 && c <= 13) return true;
  if (c < 133) return false;
  return c === 133 || c === 160 || c === 5760 || c >= 8192 && c <= 8202 || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288;
}
var SQ = 39;
var DQ = 34;
var DOLLAR = 36;
function scanWords(text, escape3, split) {
  const words = [];
  const esc = escape3.charCodeAt(0);
  const n = text.length;
  let i2 = 0;
  while (i2 < n) {
    if (split) while (i2 < n && isSpace(text.charCodeAt(i2))) i2++;
    if (i2 >= n) break;
    const start2 = i2;
    let value = "";
    let seg = i2;
    while (i2 < n) {
      const c = text.charCodeAt(i2);
      if (split && isSpace(c)) break;
      if (c === esc) {
        value += text.slice(seg, i2);
        seg = i2 + 1;
        i2 += 2;
        continue;
      }
      if (c === SQ) {
        value += text.slice(seg, i2);
        const end2 = text.indexOf("'", i2 + 1);
        const close = end2 < 0 ? n : end2;
        value += text.slice(i2 + 1, close);
        i2 = close + 1;
        seg = i2;
        continue;
      }
      if (c === DQ) {
        value += text.slice(seg, i2);
        i2++;
        seg = i2;
        while (i2 < n) {
          const d = text.charCodeAt(i2);
          if (d === DQ) break;
          if (d === esc && i2 + 1 < n) {
            const e = text.charCodeAt(i2 + 1);
            if (e === DQ || e === DOLLAR || e === esc) {
              value += text.slice(seg, i2);
              seg = i2 + 1;
              i2 += 2;
              continue;
            }
          }
          i2++;
        }
        value += text.slice(seg, Math.min(i2, n));
        i2++;
        seg = i2;
        continue;
      }
      i2++;
    }
    const end = Math.min(i2, n);
    if (seg < end) value += text.slice(seg, end);
    words.push({ value, offset: start2 });
  }
  return words;
}
function splitWords(text, escape3 = "\\") {
  return scanWords(text, escape3, true);
}
function parsePairs(text, escape3 = "\\", allowLegacy = true) {
  const words = splitRaw(text, escape3);
  if (words.length === 0) return { pairs: [], legacy: false };
  const first = words[0];
  if (allowLegacy && !first.raw.includes("=") && words.length > 1) {
    const rawValue = text.slice(words[1].offset).trim();
    return { pairs: [{ key: first.raw, value: unquote(rawValue, escape3), rawValue, offset: first.offset }], legacy: true };
  }
  const pairs = [];
  for (const w of words) {
    const eq = w.raw.indexOf("=");
    if (eq < 0) {
      pairs.push({ key: unquote(w.raw, escape3), offset: w.offset });
      continue;
    }
    const rawValue = w.raw.slice(eq + 1);
    pairs.push({ key: unquote(w.raw.slice(0, eq), escape3), value: unquote(rawValue, escape3), rawValue, offset: w.offset });
  }
  return { pairs, legacy: false };
}
function splitRaw(text, escape3) {
  const words = [];
  const esc = escape3.charCodeAt(0);
  let start2 = -1;
  let quote = 0;
  for (let i2 = 0; i2 < text.length; i2++) {
    const c = text.charCodeAt(i2);
    if (quote) {
      if (c === quote) quote = 0;
      else if (c === esc && quote === DQ) i2++;
      continue;
    }
    if (isSpace(c)) {
      if (start2 >= 0) words.push({ raw: text.slice(start2, i2), offset: start2 });
      start2 = -1;
      continue;
    }
    if (start2 < 0) start2 = i2;
    if (c === SQ || c === DQ) quote = c;
    else if (c === esc) i2++;
  }
  if (start2 >= 0) words.push({ raw: text.slice(start2), offset: start2 });
  return words;
}
function unquote(raw, escape3 = "\\") {
  if (!raw.includes('"') && !raw.includes("'") && !raw.includes(escape3)) return raw;
  return scanWords(raw, escape3, false)[0]?.value ?? "";
}
function isNameStart(c) {
  return c >= 65 && c <= 90 || c >= 97 && c <= 122 || c === 95;
}
function isNameChar(c) {
  return isNameStart(c) || c >= 48 && c <= 57;
}
function closingBrace(text, from, esc) {
  let depth = 0;
  for (let i2 = from; i2 < text.length; i2++) {
    const c = text.charCodeAt(i2);
    if (c === esc) i2++;
    else if (c === DOLLAR && text.charCodeAt(i2 + 1) === 123) {
      depth++;
      i2++;
    } else if (c === 125) {
      if (depth === 0) return i2;
      depth--;
    }
  }
  return -1;
}
function substitute(text, lookup, escape3 = "\\") {
  if (!text.includes("$")) return { value: text, unresolved: [] };
  const unresolved = [];
  const esc = escape3.charCodeAt(0);
  const n = text.length;
  let out2 = "";
  let seg = 0;
  for (let i2 = 0; i2 < n; i2++) {
    const c = text.charCodeAt(i2);
    if (c === esc) {
      i2++;
      continue;
    }
    if (c !== DOLLAR || i2 + 1 >= n) continue;
    const next = text.charCodeAt(i2 + 1);
    if (isNameStart(next)) {
      let j2 = i2 + 2;
      while (j2 < n && isNameChar(text.charCodeAt(j2))) j2++;
      const name3 = text.slice(i2 + 1, j2);
      const v2 = lookup(name3);
      if (v2 === void 0) unresolved.push(name3);
      else {
        out2 += text.slice(seg, i2) + v2;
        seg = j2;
      }
      i2 = j2 - 1;
      continue;
    }
    if (next !== 123 || i2 + 2 >= n || !isNameStart(text.charCodeAt(i2 + 2))) continue;
    let j = i2 + 3;
    while (j < n && isNameChar(text.charCodeAt(j))) j++;
    const name2 = text.slice(i2 + 2, j);
    const close = closingBrace(text, j, esc);
    if (close < 0) break;
    let opEnd = j;
    if (text.charCodeAt(opEnd) === 58) opEnd++;
    const op = text.charCodeAt(opEnd);
    const v = lookup(name2);
    let replacement2;
    if (close === j) {
      if (v === void 0) unresolved.push(name2);
      else replacement2 = v;
    } else if (op === 45 || op === 43 || op === 63) {
      const set = opEnd > j ? v !== void 0 && v !== "" : v !== void 0;
      const word = text.slice(opEnd + 1, close);
      if (op === 45) {
        if (set) replacement2 = v;
        else {
          const sub = substitute(word, lookup, escape3);
          unresolved.push(...sub.unresolved);
          replacement2 = sub.value;
        }
      } else if (op === 43) {
        if (!set) replacement2 = "";
        else {
          const sub = substitute(word, lookup, escape3);
          unresolved.push(...sub.unresolved);
          replacement2 = sub.value;
        }
      } else if (set) replacement2 = v;
      else unresolved.push(name2);
    } else {
      unresolved.push(name2);
    }
    if (replacement2 !== void 0) {
      out2 += text.slice(seg, i2) + replacement2;
      seg = close + 1;
    }
    i2 = close;
  }
  return { value: seg === 0 ? text : out2 + text.slice(seg), unresolved };
}

// src/core/dockerfile/tokenizer.ts
var DIRECTIVE_HEAD_RE = /^#[ \t\f\r]*([a-zA-Z][a-zA-Z0-9]*)[ \t\f\r]*=/;
var KNOWN_DIRECTIVES = /* @__PURE__ */ new Set(["syntax", "escape", "check"]);
var HEREDOC_KEYWORDS = /* @__PURE__ */ new Set(["RUN", "COPY", "ADD"]);
var HEREDOC_WORD_RE = /^\d*<<(-?)([^<]+)$/;
function isKeywordSeparator(c) {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 13;
}
function splitLines(text) {
  const body2 = text.charCodeAt(0) === 65279 ? text.slice(1) : text;
  const lines = body2.split("\n");
  for (let i2 = 0; i2 < lines.length; i2++) {
    const l = lines[i2];
    let end = l.length;
    while (end > 0 && l.charCodeAt(end - 1) === 13) end--;
    if (end !== l.length) lines[i2] = l.slice(0, end);
  }
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}
function leadingSpace(line) {
  let i2 = 0;
  while (i2 < line.length && isSpace(line.charCodeAt(i2))) i2++;
  return i2;
}
function lineKind(line) {
  const i2 = leadingSpace(line);
  if (i2 === line.length) return 1;
  return line.charCodeAt(i2) === 35 ? 2 : 0;
}
function commentText(line) {
  return line.trim().slice(1).trim();
}
function trimBlanks(s) {
  let start2 = 0;
  let end = s.length;
  while (start2 < end && (s.charCodeAt(start2) === 32 || s.charCodeAt(start2) === 9 || s.charCodeAt(start2) === 12 || s.charCodeAt(start2) === 13)) start2++;
  while (end > start2 && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9 || s.charCodeAt(end - 1) === 12 || s.charCodeAt(end - 1) === 13)) end--;
  return start2 === 0 && end === s.length ? s : s.slice(start2, end);
}
function continuationCut(s, esc) {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 32 && c !== 9) break;
    end--;
  }
  if (end === 0 || s.charCodeAt(end - 1) !== esc) return -1;
  if (end >= 2 && s.charCodeAt(end - 2) === esc) return -1;
  return end - 1;
}
function findHeredocs(line) {
  const out2 = [];
  const n = line.length;
  let i2 = 0;
  while (i2 < n) {
    while (i2 < n && isSpace(line.charCodeAt(i2))) i2++;
    if (i2 >= n) break;
    const start2 = i2;
    let unterminated = false;
    while (i2 < n) {
      const c = line.charCodeAt(i2);
      if (isSpace(c)) break;
      if (c === 92) {
        i2 += 2;
        continue;
      }
      if (c === 39 || c === 34) {
        i2++;
        while (i2 < n && line.charCodeAt(i2) !== c) i2 += c === 34 && line.charCodeAt(i2) === 92 ? 2 : 1;
        if (i2 >= n) unterminated = true;
      }
      i2++;
    }
    if (unterminated) continue;
    const word = line.slice(start2, Math.min(i2, n));
    if (!word.includes("<<")) continue;
    const m = HEREDOC_WORD_RE.exec(word);
    if (!m) continue;
    const { value, quoted } = unquoteHeredocName(m[2]);
    if (value !== "") out2.push({ name: value, stripTabs: m[1] === "-", quoted });
  }
  return out2;
}
function unquoteHeredocName(raw) {
  if (!raw.includes('"') && !raw.includes("'") && !raw.includes("\\")) return { value: raw, quoted: false };
  let value = "";
  let quoted = false;
  for (let i2 = 0; i2 < raw.length; i2++) {
    const c = raw[i2];
    if (c === "\\") {
      if (i2 + 1 < raw.length) value += raw[++i2];
    } else if (c === "'") {
      const end = raw.indexOf("'", i2 + 1);
      value += raw.slice(i2 + 1, end);
      quoted = true;
      i2 = end;
    } else if (c === '"') {
      quoted = true;
      for (i2++; i2 < raw.length && raw[i2] !== '"'; i2++) {
        if (raw[i2] === "\\" && i2 + 1 < raw.length && '"$\\`'.includes(raw[i2 + 1])) i2++;
        value += raw[i2];
      }
    } else value += c;
  }
  return { value, quoted };
}
function stripLeadingTabs(s) {
  let i2 = 0;
  while (i2 < s.length && s.charCodeAt(i2) === 9) i2++;
  return i2 === 0 ? s : s.slice(i2);
}
function heredocKeyword(keyword, args2) {
  if (keyword !== "ONBUILD") return keyword;
  const start2 = leadingSpace(args2);
  let end = start2;
  while (end < args2.length && !isKeywordSeparator(args2.charCodeAt(end))) end++;
  return args2.slice(start2, end).toUpperCase();
}
function tokenize2(text) {
  const lines = splitLines(text);
  const n = lines.length;
  const directives = [];
  const comments = [];
  const instructions = [];
  const problems = [];
  let escape3 = "\\";
  let i2 = 0;
  while (i2 < n) {
    const line = lines[i2];
    const lead = leadingSpace(line);
    if (line.charCodeAt(lead) !== 35) break;
    const body2 = lead === 0 ? line : line.slice(lead);
    const m = DIRECTIVE_HEAD_RE.exec(body2);
    if (!m) break;
    const name2 = m[1].toLowerCase();
    if (!KNOWN_DIRECTIVES.has(name2)) break;
    const value = trimBlanks(body2.slice(m[0].length));
    if (value === "") break;
    if (directives.some((d) => d.name === name2)) {
      problems.push({ line: i2 + 1, message: `only one ${name2} parser directive can be used` });
      break;
    }
    directives.push({ name: name2, value, line: i2 + 1 });
    if (name2 === "escape") {
      if (value === "\\" || value === "`") escape3 = value;
      else problems.push({ line: i2 + 1, message: `invalid escape directive "${value}": use \\ or \`` });
    }
    i2++;
  }
  const esc = escape3.charCodeAt(0);
  while (i2 < n) {
    const line = lines[i2];
    const indent = leadingSpace(line);
    if (indent === line.length) {
      i2++;
      continue;
    }
    if (line.charCodeAt(indent) === 35) {
      comments.push({ line: i2 + 1, text: commentText(line) });
      i2++;
      continue;
    }
    const startLine = i2 + 1;
    const first = indent === 0 ? line : line.slice(indent);
    let cut = continuationCut(first, esc);
    let full;
    const pieces = [0, startLine];
    if (cut < 0) {
      full = first;
    } else {
      const parts2 = [first.slice(0, cut)];
      let len = cut;
      for (i2++; i2 < n; i2++) {
        const l = lines[i2];
        const kind = lineKind(l);
        if (kind === 2) {
          comments.push({ line: i2 + 1, text: commentText(l) });
          continue;
        }
        if (kind === 1) continue;
        pieces.push(len, i2 + 1);
        cut = continuationCut(l, esc);
        const part = cut < 0 ? l : l.slice(0, cut);
        parts2.push(part);
        len += part.length;
        if (cut < 0) break;
      }
      if (i2 >= n) i2 = n - 1;
      full = parts2.join("");
    }
    let endLine = i2 + 1;
    i2++;
    let kwStart = 0;
    while (kwStart < full.length && isSpace(full.charCodeAt(kwStart))) kwStart++;
    if (kwStart === full.length) continue;
    let kwEnd = kwStart;
    while (kwEnd < full.length && !isKeywordSeparator(full.charCodeAt(kwEnd))) kwEnd++;
    const keyword = full.slice(kwStart, kwEnd).toUpperCase();
    const args2 = full.slice(kwEnd);
    if (kwEnd > 0) for (let k = 0; k < pieces.length; k += 2) pieces[k] = Math.max(0, pieces[k] - kwEnd);
    const heredocs = [];
    if (args2.includes("<<") && HEREDOC_KEYWORDS.has(heredocKeyword(keyword, args2))) {
      for (const h of findHeredocs(args2)) {
        const bodyStart = i2;
        const body2 = [];
        let terminated = false;
        for (; i2 < n; i2++) {
          const l = h.stripTabs ? stripLeadingTabs(lines[i2]) : lines[i2];
          if (l === h.name) {
            terminated = true;
            break;
          }
          body2.push(l);
        }
        if (!terminated) {
          problems.push({ line: startLine, message: `unterminated heredoc <<${h.name}: no line "${h.name}" before the end of the file` });
        }
        endLine = Math.min(i2 + 1, n);
        heredocs.push({
          name: h.name,
          body: body2.length > 0 ? body2.join("\n") + "\n" : "",
          line: bodyStart + 1,
          endLine,
          stripTabs: h.stripTabs,
          quoted: h.quoted,
          terminated
        });
        if (terminated) i2++;
      }
    }
    instructions.push({ keyword, line: startLine, column: indent + 1, endLine, args: args2, pieces, heredocs });
  }
  return { directives, escape: escape3, instructions, comments, problems, lines };
}
function lineOfOffset(instr, offset) {
  const p = instr.pieces;
  let lo = 0;
  let hi = p.length / 2 - 1;
  while (lo < hi) {
    const mid = lo + hi + 1 >> 1;
    if (p[mid * 2] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return p[lo * 2 + 1];
}

// src/core/dockerfile/model.ts
var KNOWN_INSTRUCTIONS = /* @__PURE__ */ new Set([
  "ADD",
  "ARG",
  "CMD",
  "COPY",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "FROM",
  "HEALTHCHECK",
  "LABEL",
  "MAINTAINER",
  "ONBUILD",
  "RUN",
  "SHELL",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR"
]);
var FLAG_KEYWORDS = /* @__PURE__ */ new Set(["FROM", "COPY", "ADD", "RUN", "HEALTHCHECK"]);
var PAIR_KEYWORDS = /* @__PURE__ */ new Set(["ENV", "LABEL", "ARG"]);
var PLATFORM_ARGS = /* @__PURE__ */ new Set(["TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT"]);
function parseFlags(args2) {
  const flags2 = [];
  let i2 = 0;
  for (; ; ) {
    while (i2 < args2.length && (args2[i2] === " " || args2[i2] === "	")) i2++;
    if (!args2.startsWith("--", i2) || i2 + 2 >= args2.length || args2[i2 + 2] === " ") break;
    let j = i2;
    let quote = "";
    while (j < args2.length) {
      const c = args2[j];
      if (quote) {
        if (c === quote) quote = "";
      } else if (c === '"' || c === "'") quote = c;
      else if (c === " " || c === "	") break;
      j++;
    }
    const text = args2.slice(i2 + 2, j);
    const eq = text.indexOf("=");
    if (eq < 0) flags2.push({ name: text.toLowerCase() });
    else flags2.push({ name: text.slice(0, eq).toLowerCase(), value: text.slice(eq + 1).replace(/^(["'])(.*)\1$/, "$2") });
    i2 = j;
  }
  return { flags: flags2, restOffset: i2 };
}
function parseJsonForm(rest) {
  const t = rest.trim();
  if (!t.startsWith("[") || !t.endsWith("]")) return void 0;
  try {
    const v = JSON.parse(t);
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v;
  } catch {
  }
  return void 0;
}
var WINDOWS_IMAGE_RE = /(windows|nanoserver|servercore|mcr\.microsoft\.com\/dotnet\/framework)/i;
function parseDockerfile(file, text, options = {}) {
  const tok = tokenize2(text);
  const buildArgs = options.buildArgs ?? {};
  const escape3 = tok.escape;
  const problems = tok.problems.map((p) => ({ ...p, kind: "syntax" }));
  const instructions = [];
  const stages = [];
  const globalArgs = [];
  const globalScope = /* @__PURE__ */ new Map();
  let scope = globalScope;
  let scopeSnapshot = new Map(scope);
  const shellAt = /* @__PURE__ */ new Map();
  let currentShell;
  let stage;
  const stageByName = /* @__PURE__ */ new Map();
  const stageEnv = /* @__PURE__ */ new Map();
  const globalUnresolved = /* @__PURE__ */ new Map();
  const makeResolver = (snap) => (t) => substitute(t, (name2) => snap.get(name2), escape3);
  for (const raw of tok.instructions) {
    const keyword = raw.keyword;
    if (!KNOWN_INSTRUCTIONS.has(keyword)) {
      problems.push({ line: raw.line, message: `unknown instruction "${keyword}"`, kind: "unknown-instruction" });
    }
    const { flags: flags2, restOffset } = FLAG_KEYWORDS.has(keyword) ? parseFlags(raw.args) : { flags: [], restOffset: 0 };
    const rest = raw.args.slice(restOffset);
    const words = splitWords(rest, escape3);
    const json = keyword === "RUN" || keyword === "CMD" || keyword === "ENTRYPOINT" || keyword === "SHELL" || keyword === "VOLUME" || keyword === "COPY" || keyword === "ADD" || keyword === "HEALTHCHECK" ? parseJsonForm(rest) : void 0;
    let pairs = [];
    let legacyPairs = false;
    if (PAIR_KEYWORDS.has(keyword)) {
      const parsed = parsePairs(rest, escape3, keyword !== "ARG");
      pairs = parsed.pairs;
      legacyPairs = parsed.legacy;
    }
    const resolveIn = makeResolver(scopeSnapshot);
    const instr = {
      index: instructions.length,
      keyword,
      line: raw.line,
      column: raw.column,
      endLine: raw.endLine,
      args: raw.args,
      flags: flags2,
      rest,
      restOffset,
      words,
      json,
      heredocs: raw.heredocs,
      pairs,
      legacyPairs,
      stage: stage ? stage.index : -1,
      raw,
      resolve: resolveIn,
      lineAt: (offset) => lineOfOffset(raw, offset)
    };
    instructions.push(instr);
    if (keyword === "FROM") {
      const imageWord = words[0]?.value ?? "";
      const asIdx = words.findIndex((w, k) => k > 0 && w.value.toLowerCase() === "as");
      const alias = asIdx > 0 ? words[asIdx + 1]?.value.toLowerCase() : void 0;
      const inheritedUnresolved = [];
      const sub = substitute(
        imageWord,
        (name2) => {
          inheritedUnresolved.push(...globalUnresolved.get(name2) ?? []);
          return globalScope.get(name2);
        },
        escape3
      );
      sub.unresolved.push(...inheritedUnresolved.filter((v) => !sub.unresolved.includes(v)));
      const platformOnly = sub.unresolved.length > 0 && sub.unresolved.every((v) => PLATFORM_ARGS.has(v));
      let resolved = sub.value;
      let stageRef;
      const lower = resolved.toLowerCase();
      if (sub.unresolved.length === 0 && stageByName.has(lower)) stageRef = stageByName.get(lower)?.index;
      if (platformOnly) {
        const pattern = new RegExp("^" + lower.replace(/[.*+?^()|[\]\\]/g, "\\$&").replace(/\$\{?[A-Za-z_]+\}?/g, ".+") + "$");
        for (const s of stages) if (s.name && pattern.test(s.name)) stageRef = s.index;
      }
      const scratch = sub.unresolved.length === 0 && lower === "scratch";
      const unresolved = stageRef !== void 0 ? [] : sub.unresolved;
      const image = stageRef === void 0 && !scratch && unresolved.length === 0 ? parseImageRef(resolved) : void 0;
      if (stageRef !== void 0) resolved = stages[stageRef].name ?? resolved;
      const platformFlag = flags2.find((f) => f.name === "platform");
      const from = {
        text: imageWord,
        resolved,
        unresolved,
        image,
        invalid: stageRef === void 0 && !scratch && unresolved.length === 0 && image === void 0,
        stageRef,
        scratch,
        platform: platformFlag?.value,
        alias
      };
      const parent = stageRef !== void 0 ? stages[stageRef] : void 0;
      const windows = parent ? parent.windows : escape3 === "`" || WINDOWS_IMAGE_RE.test(resolved);
      stage = { index: stages.length, name: alias, from, instruction: instr, instructions: [], windows };
      instr.stage = stage.index;
      stages.push(stage);
      if (alias && !stageByName.has(alias)) stageByName.set(alias, stage);
      const inherited = parent ? new Map(stageEnv.get(parent.index)) : /* @__PURE__ */ new Map();
      stageEnv.set(stage.index, new Map(inherited));
      scope = inherited;
      scopeSnapshot = new Map(scope);
      currentShell = parent ? shellAt.get(parent.instructions[parent.instructions.length - 1] ?? parent.instruction) : void 0;
      shellAt.set(instr, currentShell);
      continue;
    }
    if (stage) stage.instructions.push(instr);
    else if (keyword === "ARG") globalArgs.push(instr);
    if (keyword === "ARG") {
      for (const p of pairs) {
        let v;
        if (Object.prototype.hasOwnProperty.call(buildArgs, p.key)) v = buildArgs[p.key];
        else if (p.value !== void 0) {
          const sub = substitute(p.value, (name2) => scope.get(name2), escape3);
          v = sub.value;
          if (!stage && sub.unresolved.length > 0) globalUnresolved.set(p.key, sub.unresolved);
        } else if (stage) v = globalScope.get(p.key);
        scope.set(p.key, v);
      }
      scopeSnapshot = new Map(scope);
    } else if (keyword === "ENV") {
      const before = new Map(scope);
      for (const p of pairs) {
        const v = p.value === void 0 ? void 0 : substitute(p.value, (name2) => before.get(name2), escape3).value;
        scope.set(p.key, v);
        if (stage) stageEnv.get(stage.index)?.set(p.key, v);
      }
      scopeSnapshot = new Map(scope);
    } else if (keyword === "SHELL" && json) {
      currentShell = json;
    }
    shellAt.set(instr, currentShell);
  }
  const shellCache = /* @__PURE__ */ new Map();
  const targets = new Set((options.targets ?? []).map((t) => t.toLowerCase()));
  const model = {
    file,
    lines: tok.lines,
    escape: escape3,
    directives: tok.directives,
    comments: tok.comments,
    instructions,
    stages,
    globalArgs,
    problems,
    shellFor: (instr) => shellAt.get(instr),
    isShipped: (s) => targets.size > 0 ? s.name !== void 0 && targets.has(s.name) : s.index === stages.length - 1,
    shellOf(instr) {
      if (shellCache.has(instr)) return shellCache.get(instr);
      const script = buildShellScript(model, instr, options.shellCache);
      shellCache.set(instr, script);
      return script;
    }
  };
  return model;
}
var POSIX_SHELLS = /* @__PURE__ */ new Set(["sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"]);
function isPosixShell(shell, windows) {
  if (!shell) return !windows;
  const prog = (shell[0] ?? "").split(/[\\/]/).pop() ?? "";
  return POSIX_SHELLS.has(prog.toLowerCase());
}
var HEREDOC_ONLY_RE = /^\s*(?:(?:\/bin\/|\/usr\/bin\/)?(?:ba|da|a)?sh(?:\s+-[a-z]+)*\s+)?<<-?\s*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1\s*$/;
function parseCached(text, cache2) {
  if (!cache2) return parseShell(text);
  let s = cache2.get(text);
  if (!s) {
    s = parseShell(text);
    cache2.set(text, s);
  }
  return cloneScript(s);
}
function buildShellScript(model, instr, cache2) {
  if (instr.keyword !== "RUN" || instr.json || !shellParserReady()) return void 0;
  const stage = instr.stage >= 0 ? model.stages[instr.stage] : void 0;
  if (!isPosixShell(model.shellFor(instr), stage?.windows ?? false)) return void 0;
  const hd = instr.heredocs;
  if (hd.length === 1 && HEREDOC_ONLY_RE.test(instr.rest)) {
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(hd[0].body);
    if (shebang) {
      const prog = (shebang[1].endsWith("/env") ? shebang[2] ?? "" : shebang[1]).split("/").pop() ?? "";
      if (!POSIX_SHELLS.has(prog)) return void 0;
    }
    const script2 = parseCached(hd[0].body, cache2);
    for (const c of script2.commands) c.line = hd[0].line + countNewlines(hd[0].body, c.offset);
    return script2;
  }
  let text = instr.rest;
  if (hd.length > 0) text += "\n" + hd.map((h) => h.body + h.name + "\n").join("");
  const script = parseCached(text, cache2);
  for (const c of script.commands) {
    c.line = c.offset < instr.rest.length ? instr.lineAt(instr.restOffset + c.offset) : instr.line;
  }
  return script;
}
function countNewlines(s, end) {
  let n = 0;
  for (let i2 = 0; i2 < end; i2++) if (s.charCodeAt(i2) === 10) n++;
  return n;
}
function* runCommands(model, instrs = model.instructions) {
  for (const instr of instrs) {
    if (instr.keyword !== "RUN") continue;
    const script = model.shellOf(instr);
    if (!script) continue;
    for (const cmd of script.commands) yield { instr, cmd, script };
  }
}

// src/core/rules/chpasswd.ts
var basename = (p) => p.split("/").pop() ?? p;
var chpasswd_default = defineRule({
  meta: {
    id: "chpasswd",
    aliases: ["CKV2_DOCKER_17"],
    severity: "error",
    title: "Do not set passwords with chpasswd",
    description: [
      "`chpasswd` sets account passwords inside the image. The password (or its hash) lands in `/etc/shadow` in a layer that anyone who pulls the image can read, and the clear-text password usually sits in the `RUN` line itself, which is kept in the image history and in source control. Every container from the image then shares the same known password.",
      "",
      "Instead, do not give image accounts passwords at all: create users without one (`useradd`/`adduser -D` leave the account locked), switch with `USER` rather than logging in, use key-based authentication for services such as SSH with keys provided at run time, and pass credentials the application needs at run time (`docker run -e`, Docker/Kubernetes secrets) or at build time with `RUN --mount=type=secret`.",
      "",
      "Reported for every `chpasswd` command in a `RUN`, piped or not, also with `-e` (pre-hashed passwords are still baked in and can be cracked offline)."
    ].join("\n"),
    bad: 'FROM ubuntu:24.04\nRUN useradd -m app && echo "app:changeme" | chpasswd',
    good: "FROM ubuntu:24.04\nRUN useradd -m app\nUSER app",
    tags: ["security"]
  },
  defaultOptions: {},
  check({ model, report }) {
    const message = "chpasswd bakes a password into the image (/etc/shadow and the image history): create the user without a password, switch with USER, and pass credentials at run time or with RUN --mount=type=secret";
    for (const { cmd } of runCommands(model)) {
      if (cmd.program === "chpasswd") report({ line: cmd.line, message });
    }
    for (const instr of model.instructions) {
      if (instr.keyword !== "RUN" || !instr.json || instr.json.length === 0) continue;
      if (basename(instr.json[0]) === "chpasswd") report({ line: instr.line, column: instr.column, message });
    }
  }
});

// src/core/rules/copy-from-self.ts
var copy_from_self_default = defineRule({
  meta: {
    id: "copy-from-self",
    aliases: ["DL3023", "DS-0006"],
    severity: "error",
    title: "COPY --from must not reference its own stage",
    description: [
      "A stage cannot copy from (or mount) itself: its filesystem does not exist yet while it is being built. BuildKit fails with a circular dependency error; older builders fail or copy from the wrong place.",
      "",
      "Copy from an earlier stage that produced the files, or drop `--from` to copy from the build context. The reference may be the stage's name (compared case-insensitively) or its index."
    ].join("\n"),
    bad: "FROM golang:1.23 AS build\nCOPY --from=build /src /src",
    good: "FROM golang:1.23 AS build\nCOPY . /src",
    tags: ["correctness"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const src of fromSources(model)) {
      if (src.what === "COPY --from" && src.hasVariables) continue;
      if (src.unresolved.length > 0 || isTemplated(src.resolved)) continue;
      const target = classifyFrom(model, src.resolved);
      if (target.kind !== "stage" || target.stage.index !== src.instr.stage) continue;
      const own = target.stage;
      const name2 = target.byIndex ? `stage ${own.index}` : `stage "${own.name}"`;
      const fix = src.what === "COPY --from" ? "copy from an earlier stage that builds the files, or drop --from to copy from the build context" : "mount an earlier stage instead";
      report({
        line: src.position.line,
        column: src.position.column,
        message: `${describeSource(src)} refers to its own ${name2} (FROM on line ${own.instruction.line}); a stage cannot use itself: ${fix}`
      });
    }
  }
});

// src/core/rules/copy-from-unknown-stage.ts
var copy_from_unknown_stage_default = defineRule({
  meta: {
    id: "copy-from-unknown-stage",
    aliases: ["DL3022"],
    severity: "warning",
    title: "COPY --from must name an earlier stage or an image",
    description: [
      "`COPY --from=<x>` (and `RUN --mount=\u2026,from=<x>`) takes a stage name, a stage index or an image. When `<x>` is neither the name of a stage defined earlier nor an index of one, BuildKit silently treats it as an image name and tries to pull it from Docker Hub: a typo such as `--from=buidler` fails late with a confusing pull error, or, worse, pulls someone else's image that happens to have that name.",
      "",
      "This rule reports:",
      "",
      "- a bare word that names no stage (`--from=buidler`), suggesting the closest stage name;",
      "- a stage that is defined only later in the file (stages must be defined before they are used);",
      "- a stage index that is not lower than the current stage's;",
      "- `COPY --from=$VAR`: BuildKit does not expand variables in `--from`; declare a stage `FROM ${VAR} AS name` and copy from `name`.",
      "",
      "Values that look like image references (they contain `/`, `:`, `.` or `@`, e.g. `nginx:1.27`) are images and are judged by `unpinned-base-image`. To copy from an image with a one-word name, write it with its tag (`--from=busybox:1.37`). A reference to the stage itself is reported by `copy-from-self`."
    ].join("\n"),
    bad: "FROM golang:1.23 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=buidler /app /app",
    good: "FROM golang:1.23 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=builder /app /app",
    tags: ["correctness"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const src of fromSources(model)) {
      const here = src.instr.stage;
      const what = describeSource(src);
      const say = (message) => report({ line: src.position.line, column: src.position.column, message });
      if (src.what === "COPY --from" && src.hasVariables) {
        const v = variableNames(src.value)[0] ?? "IMAGE";
        const name2 = v.toLowerCase().replace(/_/g, "-");
        say(
          `${what}: BuildKit does not expand variables in --from; declare a stage instead: ARG ${v}=<image>:<version> before the first FROM, FROM \${${v}} AS ${name2}, then COPY --from=${name2}`
        );
        continue;
      }
      if (src.unresolved.length > 0 || isTemplated(src.resolved)) continue;
      const value = src.resolved;
      const target = classifyFrom(model, value);
      if (target.kind === "bad-index") {
        const n = model.stages.length;
        say(
          `${what}: this Dockerfile has only ${n} stage${n === 1 ? "" : "s"} (numbered from 0); refer to an earlier stage by its name (FROM \u2026 AS name, then --from=name)`
        );
        continue;
      }
      if (target.kind === "stage") {
        const s = target.stage;
        if (s.index < here || s.index === here) continue;
        if (target.byIndex) {
          say(
            `${what} refers to stage ${s.index} (line ${s.instruction.line}), which comes after this stage (stage ${here}); stages can only use earlier stages: use the name of an earlier stage, or move that stage above this one`
          );
        } else {
          say(
            `${what} refers to stage "${s.name}", which is defined later, on line ${s.instruction.line}; stages can only use earlier stages: move FROM \u2026 AS ${s.name} above this stage`
          );
        }
        continue;
      }
      if (target.looksLikeImage) continue;
      const earlier = model.stages.filter((s) => s.index < here && s.name).map((s) => s.name);
      const guess = closestName(value, earlier);
      const hint = guess ? `did you mean --from=${guess}? Otherwise name an earlier stage` : `name an earlier stage (FROM \u2026 AS ${value.toLowerCase()})`;
      say(
        `${what}: no stage named "${value}" is defined before this instruction, so it would be pulled as the image docker.io/library/${value.toLowerCase()}; ${hint}, or, if you meant that image, write it with a tag, e.g. --from=${value}:<version>`
      );
    }
  }
});

// src/core/rules/copy-multiple-args-slash.ts
var copy_multiple_args_slash_default = defineRule({
  meta: {
    id: "copy-multiple-args-slash",
    aliases: ["DL3021", "DS-0011"],
    severity: "error",
    title: "COPY with several sources needs a destination ending in /",
    description: [
      'When `COPY` has more than one source, the destination must be a directory and must end with `/`; otherwise the build fails ("When using COPY with more than one source file, the destination must be a directory and end with a /").',
      "",
      "Add the trailing slash: `COPY package.json package-lock.json /app/`. The destination `.` (and `..`) is also accepted, as BuildKit treats it as a directory. Flags (`--from`, `--chown` \u2026) do not count as arguments; the JSON form and heredoc sources are handled; a destination whose variable has no value is not checked."
    ].join("\n"),
    bad: "FROM node:22-alpine\nCOPY package.json package-lock.json /app",
    good: "FROM node:22-alpine\nCOPY package.json package-lock.json /app/",
    tags: ["correctness"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== "COPY") continue;
      const { sources, dest } = copyArgs(instr);
      if (!dest || sources.length < 2) continue;
      if (dest.unresolved.length > 0 && /\$\{?\w+\}?$/.test(dest.value)) continue;
      const d = dest.value;
      if (d.endsWith("/") || d.endsWith("\\") || d === "." || d === "..") continue;
      report({
        line: dest.line,
        column: instr.column,
        message: `COPY with ${sources.length} sources needs a directory destination ending in /: write ${dest.text}/`
      });
    }
  }
});

// src/core/rules/curl-pipe-shell.ts
var FETCHERS = /* @__PURE__ */ new Set(["curl", "wget"]);
function interpreterFamily(name2) {
  if (isShellName(name2)) return "shell";
  if (/^python[0-9.]*$/.test(name2) || name2 === "pypy" || name2 === "pypy3") return "python";
  if (/^perl[0-9.]*$/.test(name2)) return "perl";
  if (/^ruby[0-9.]*$/.test(name2)) return "ruby";
  if (name2 === "node" || name2 === "nodejs" || name2 === "deno" || name2 === "bun") return "node";
  if (/^php[0-9.]*$/.test(name2)) return "php";
  return void 0;
}
var INLINE_CODE = {
  shell: /^-[a-zA-Z]*c[a-zA-Z]*$/,
  python: /^-[a-zA-Z]*[cm]/,
  perl: /^-[a-zA-Z]*[eE]/,
  ruby: /^-[a-zA-Z]*e/,
  node: /^(-[a-zA-Z]*[ep]|--eval|--print|--eval=.*|--print=.*)$/,
  php: /^-[a-zA-Z]*[rR]/
};
var VALUE_OPTS2 = {
  shell: /^[-+][a-zA-Z]*o$/,
  python: /^-[WXQ]$/,
  perl: /^-[IMm]$/,
  ruby: /^-[IrCE]$/,
  node: /^(-r|--require|--import|--loader)$/,
  php: /^-[cdz]$/
};
function programSource(cmd, family) {
  const a = cmd.args;
  for (let k = 0; k < a.length; k++) {
    const arg = a[k];
    if (arg === "-") return "stdin";
    if (arg === "--") {
      if (family === "shell") return "stdin";
      return k + 1 >= a.length || a[k + 1] === "-" ? "stdin" : k + 1;
    }
    if (family === "python" && /^-[a-zA-Z]*m/.test(arg)) return "module";
    if (INLINE_CODE[family].test(arg)) {
      const glued = family !== "shell" && family !== "node" && /^-[a-zA-Z]*[cerR]./.test(arg) && !/^-[a-zA-Z]*$/.test(arg);
      return glued ? k : k + 1;
    }
    if (family === "shell" && /^-[a-zA-Z]*s[a-zA-Z]*$/.test(arg)) return "stdin";
    if (VALUE_OPTS2[family].test(arg)) {
      k++;
      continue;
    }
    if (arg.startsWith("-") || arg.startsWith("+")) continue;
    return k;
  }
  return "stdin";
}
function fetchesToStdout(cmd) {
  const name2 = commandName(cmd);
  const a = cmd.args;
  for (let k = 0; k < a.length; k++) {
    const arg = a[k];
    if (name2 === "curl") {
      if (arg === "--output" || arg === "-o") return a[k + 1] === "-";
      if (arg.startsWith("--output=")) return arg.slice(9) === "-";
      if (arg === "--remote-name" || arg === "--remote-name-all") return false;
      const f = shortFlags(arg);
      if (f) {
        const o = f.search(/[oO]/);
        if (o >= 0) {
          if (f[o] === "O") return false;
          const value = f.slice(o + 1) || a[k + 1];
          return value === "-";
        }
      }
    } else {
      if (arg === "--output-document" || arg === "-O") return a[k + 1] === "-";
      if (arg.startsWith("--output-document=")) return arg.slice(18) === "-";
      const f = shortFlags(arg);
      const o = f.indexOf("O");
      if (o >= 0) return (f.slice(o + 1) || a[k + 1]) === "-";
    }
  }
  return true;
}
function fetcherIn(cmds) {
  return cmds.find((c) => FETCHERS.has(commandName(c)));
}
var EXECUTORS = /* @__PURE__ */ new Set(["eval", "source", "."]);
var curl_pipe_shell_default = defineRule({
  meta: {
    id: "curl-pipe-shell",
    aliases: [],
    severity: "error",
    title: "Remote script piped into a shell or interpreter",
    description: [
      "`curl https://\u2026 | sh` runs whatever the server sends, unverified, with the privileges of the build. A compromised or hijacked download host, a truncated transfer (the shell executes a half-downloaded script) or a changed upstream script all end up in your image without any trace in the Dockerfile.",
      "",
      'The rule reports a pipeline in which `curl` or `wget` output flows into `sh`, `bash`, `zsh`, `ash`, `dash`, `ksh`, `python`, `perl`, `ruby`, `node` or `php` reading its program from stdin (also through `sudo`, `tee`, and inside `sh -c \'\u2026\'`), and the same thing written with a substitution: `bash <(curl \u2026)`, `sh -c "$(curl \u2026)"`, `eval "$(wget -O- \u2026)"`, `. <(curl \u2026)`.',
      "",
      "Piping downloaded data into an interpreter that runs its own program (`curl \u2026 | python3 -c 'import json,sys; \u2026'`, `curl \u2026 | python3 -m json.tool`, `curl \u2026 | bash ./parse.sh`) is not reported.",
      "",
      "Instead, download the script to a file, verify it against a checksum you pinned (or a signature), then run it:",
      "",
      "```dockerfile",
      "RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\",
      ' && echo "<sha256>  /tmp/install.sh" | sha256sum -c - \\',
      " && sh /tmp/install.sh && rm /tmp/install.sh",
      "```",
      "",
      "Better still, install from a package manager or `COPY --from=` an official image."
    ].join("\n"),
    bad: "FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh",
    good: 'FROM debian:12\nRUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\\n && echo "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  /tmp/install.sh" | sha256sum -c - \\\n && sh /tmp/install.sh',
    tags: ["security", "supply-chain"]
  },
  defaultOptions: {},
  check({ model, report }) {
    const advice2 = 'download to a file, verify it (echo "<sha256>  file" | sha256sum -c -), then run it';
    for (const { cmd } of runCommandsDeep(model)) {
      const name2 = commandName(cmd);
      const family = interpreterFamily(name2);
      if (!family && !EXECUTORS.has(name2)) continue;
      const runner = cmd.wrappers.length > 0 ? `${cmd.wrappers.join(" ")} ${name2}` : name2;
      const source = family ? programSource(cmd, family) : void 0;
      if (source === "stdin" && cmd.pipeline) {
        const fetcher = cmd.pipeline.find((c) => c.offset < cmd.offset && FETCHERS.has(commandName(c)) && fetchesToStdout(c));
        if (fetcher) {
          report({ line: cmd.line, message: `${commandName(fetcher)} output is piped into ${runner}, which runs unverified remote code: ${advice2}` });
          continue;
        }
      }
      const programArgs = family ? typeof source === "number" ? [cmd.args[source]] : [] : name2 === "eval" ? cmd.args : cmd.args.slice(0, 1);
      for (const arg of programArgs) {
        if (arg === void 0) continue;
        const fetcher = fetcherIn(substitutionCommands(arg));
        if (!fetcher) continue;
        const how = arg.startsWith("<(") ? "process substitution" : "command substitution";
        report({ line: cmd.line, message: `${runner} runs the output of ${commandName(fetcher)} (${how}), which is unverified remote code: ${advice2}` });
        break;
      }
    }
  }
});

// src/core/rules/duplicate-stage-name.ts
var duplicate_stage_name_default = defineRule({
  meta: {
    id: "duplicate-stage-name",
    aliases: ["DL3024", "DS-0012", "CKV_DOCKER_11", "DuplicateStageName"],
    severity: "error",
    title: "Stage names must be unique",
    description: [
      "Stage names (`FROM \u2026 AS <name>`) are what `COPY --from`, `RUN --mount=from=`, later `FROM <name>` and `docker build --target` refer to. Two stages with the same name (compared case-insensitively) make those references ambiguous: builders disagree on which stage wins, and a refactoring can silently copy files from the wrong stage.",
      "",
      "Give each stage its own name and update the references to the renamed stage."
    ].join("\n"),
    bad: "FROM golang:1.23 AS build\nRUN go build -o /app ./cmd/app\nFROM node:22 AS build\nRUN npm run build",
    good: "FROM golang:1.23 AS build-go\nRUN go build -o /app ./cmd/app\nFROM node:22 AS build-web\nRUN npm run build",
    tags: ["correctness"]
  },
  defaultOptions: {},
  check({ model, report }) {
    const first = /* @__PURE__ */ new Map();
    const used = new Set(model.stages.map((s) => s.name).filter((n) => n !== void 0));
    for (const stage of model.stages) {
      const name2 = stage.name;
      if (!name2) continue;
      const prev = first.get(name2);
      if (!prev) {
        first.set(name2, stage);
        continue;
      }
      let n = 2;
      while (used.has(`${name2}-${n}`)) n++;
      const suggestion = `${name2}-${n}`;
      used.add(suggestion);
      const k = asWordIndex(stage.instruction);
      const pos2 = wordPosition(stage.instruction, k >= 0 ? k + 1 : 0);
      const written = k >= 0 ? stage.instruction.words[k + 1]?.value ?? name2 : name2;
      report({
        line: pos2.line,
        column: pos2.column,
        message: `Stage name "${written}" is already used by the stage on line ${prev.instruction.line} (stage names are case-insensitive); give this stage a unique name, e.g. AS ${suggestion}, and update the COPY --from, FROM and --target references to it`
      });
    }
  }
});

// src/core/rules/env-self-reference.ts
var NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*/;
function referencedVariables(raw, escape3 = "\\") {
  const out2 = [];
  let single = false;
  let double = false;
  for (let i2 = 0; i2 < raw.length; i2++) {
    const c = raw[i2];
    if (single) {
      if (c === "'") single = false;
      continue;
    }
    if (c === escape3) {
      i2++;
      continue;
    }
    if (c === '"') double = !double;
    else if (c === "'" && !double) single = true;
    else if (c === "$") {
      const braced = raw[i2 + 1] === "{";
      const m = NAME_RE.exec(raw.slice(i2 + (braced ? 2 : 1)));
      if (m && !out2.includes(m[0])) out2.push(m[0]);
    }
  }
  return out2;
}
var env_self_reference_default = defineRule({
  meta: {
    id: "env-self-reference",
    aliases: ["DL3044"],
    severity: "error",
    title: "ENV refers to a variable set in the same ENV",
    description: [
      "Within one `ENV` instruction, every `$VAR` is expanded with the values from *before* the instruction. In `ENV A=1 B=$A`, `B` does not get `1`: it gets the previous value of `A`, or an empty string when `A` was not set yet. The Docker documentation shows the same: after `ENV abc=bye def=$abc`, `def` holds the old `abc`.",
      "",
      "Instead, set the variable in its own `ENV` first, then use it in a later one:",
      "",
      "```dockerfile",
      "ENV APP_HOME=/app",
      "ENV PATH=$APP_HOME/bin:$PATH",
      "```",
      "",
      "A pair that refers to its own name (`ENV PATH=/app/bin:$PATH`) is fine: it means the previous value on purpose. References in single quotes or escaped (`\\$A`) are literal text and not reported."
    ].join("\n"),
    bad: "FROM alpine:3.20\nENV APP_HOME=/app PATH=$APP_HOME/bin:$PATH",
    good: "FROM alpine:3.20\nENV APP_HOME=/app\nENV PATH=$APP_HOME/bin:$PATH",
    tags: ["correctness"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== "ENV" || instr.legacyPairs || instr.pairs.length < 2) continue;
      const earlier = /* @__PURE__ */ new Set();
      for (const p of instr.pairs) {
        const refs = p.rawValue === void 0 ? [] : referencedVariables(p.rawValue, model.escape).filter((v) => earlier.has(v));
        if (refs.length > 0) {
          const names = refs.join(", ");
          const dollar = refs.map((r) => `$${r}`).join(", ");
          report({
            line: instr.lineAt(instr.restOffset + p.offset),
            message: `ENV ${p.key} uses ${dollar}, which this same ENV sets: ${dollar} ${refs.length > 1 ? "expand" : "expands"} to the value from before this instruction (empty if unset), not the value set here; set ${names} in an earlier ENV instruction`
          });
        }
        earlier.add(p.key);
      }
    }
  }
});

// src/core/rules/expose-port-range.ts
var MAX_PORT = 65535;
var expose_port_range_default = defineRule({
  meta: {
    id: "expose-port-range",
    aliases: ["DL3011", "DS-0008"],
    severity: "error",
    title: "EXPOSE port outside 0-65535",
    description: [
      "TCP and UDP ports are 16-bit numbers: valid ports run from 0 to 65535. `EXPOSE 80000` is a typo (often a missing or extra digit) and the build or `docker run -P` fails on it.",
      "",
      "Write the intended port, for example `EXPOSE 8000`. Ranges (`EXPOSE 8000-8010`) are checked at both ends, and a range must not run backwards. Ports that come from an `ARG` or `ENV` with a value are checked after substitution; ports whose variable has no value are not checked."
    ].join("\n"),
    bad: "FROM nginx:1.27\nEXPOSE 80800",
    good: "FROM nginx:1.27\nEXPOSE 8080",
    tags: ["correctness"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== "EXPOSE") continue;
      for (const p of exposedPorts(instr)) {
        const shown = p.value === p.text ? p.text : `${p.text} (= ${p.value})`;
        const bad = [p.start, p.end].find((n) => n > MAX_PORT);
        if (bad !== void 0) {
          report({ line: p.line, column: instr.column, message: `EXPOSE ${shown}: port ${bad} is outside 0-65535; write a port between 0 and 65535` });
        } else if (p.end < p.start) {
          report({
            line: p.line,
            column: instr.column,
            message: `EXPOSE ${shown}: the range runs backwards; write it as ${p.end}-${p.start}${p.protocol ? "/" + p.protocol : ""}`
          });
        }
      }
    }
  }
});

// src/core/rules/expose-ssh-port.ts
var expose_ssh_port_default = defineRule({
  meta: {
    id: "expose-ssh-port",
    aliases: ["DS-0004", "CKV_DOCKER_1"],
    severity: "error",
    title: "EXPOSE of the SSH port 22",
    description: [
      "Exposing port 22 means the container runs an SSH server. That is one more long-lived daemon with credentials or keys baked into the image, listening on the network, and it sidesteps the runtime's own access controls and audit trail.",
      "",
      "Containers do not need SSH: open a shell with `docker exec` / `kubectl exec` (or `kubectl debug`), copy files with `docker cp` / `kubectl cp`, and ship logs to stdout. Remove `EXPOSE 22` and the SSH server.",
      "",
      "The rule reports `22`, `22/tcp` and TCP ranges that include 22 (`20-30`), also when the port comes from an `ARG` or `ENV` with a value. `22/udp` and `22/sctp` are not SSH and are not reported."
    ].join("\n"),
    bad: "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-server\nEXPOSE 22 8080",
    good: "FROM ubuntu:24.04\nEXPOSE 8080",
    tags: ["security"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== "EXPOSE") continue;
      for (const p of exposedPorts(instr)) {
        if (p.protocol && p.protocol !== "tcp") continue;
        if (p.start > 22 || p.end < 22) continue;
        const what = p.start === p.end ? `port ${p.value}` : `range ${p.value}, which includes port 22,`;
        report({
          line: p.line,
          column: instr.column,
          message: `EXPOSE ${what} publishes SSH: remove it and use docker exec / kubectl exec for shell access`
        });
      }
    }
  }
});

// src/core/rules/from-platform-flag.ts
var from_platform_flag_default = defineRule({
  meta: {
    id: "from-platform-flag",
    aliases: ["DL3029", "FromPlatformFlagConstDisallowed"],
    severity: "warning",
    title: "Do not hard-code FROM --platform",
    description: [
      "A constant `FROM --platform=linux/amd64` pins the stage to one platform: the Dockerfile can no longer build a multi-platform image, and on another machine it silently runs under emulation (slow) or produces an image for the wrong architecture.",
      "",
      "Leave the flag out and choose the platform at build time (`docker buildx build --platform linux/amd64,linux/arm64`), or use BuildKit's platform variables, typically `FROM --platform=$BUILDPLATFORM` for a cross-compiling build stage. A stage whose name contains the platform's OS or architecture (`AS build-arm64`, selected later with `FROM build-${TARGETARCH}`) is deliberately per-platform and is not reported, as in BuildKit's `FromPlatformFlagConstDisallowed` check."
    ].join("\n"),
    bad: "FROM --platform=linux/amd64 golang:1.23 AS build",
    good: "FROM --platform=$BUILDPLATFORM golang:1.23 AS build",
    tags: ["portability", "best-practice"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const stage of model.stages) {
      const instr = stage.instruction;
      const flag = instr.flags.find((f) => f.name === "platform");
      if (!flag || flag.value === void 0) continue;
      const value = flag.value.trim();
      if (value === "" || value.includes("$")) continue;
      const [os3 = "", arch = ""] = value.toLowerCase().split("/");
      const name2 = stage.name ?? "";
      if (name2 && (os3 && name2.includes(os3) || arch && name2.includes(arch))) continue;
      const pos2 = flagPosition(instr, "platform");
      report({
        line: pos2.line,
        column: pos2.column,
        message: `FROM --platform=${value} hard-codes the platform; drop the flag and pass --platform to the build, or use a variable such as --platform=$BUILDPLATFORM (a per-platform stage should carry the platform in its name, e.g. AS build-${arch || os3})`
      });
    }
  }
});

// src/core/rules/gem-pin-versions.ts
function unpinnedGem(arg) {
  if (arg.includes(":") || isDynamic(arg)) return false;
  return !/\.gem$/i.test(arg) && !/^(\/|\.{1,2}\/|~)/.test(arg);
}
var gem_pin_versions_default = defineRule({
  meta: {
    id: "gem-pin-versions",
    aliases: ["DL3028"],
    severity: "warning",
    title: "gem install without pinned versions",
    description: [
      "Without a version, `gem install rails` installs whatever rubygems.org has on the day of the build, so two builds of the same Dockerfile can ship different code, and a new major release can break the image without any change to the source.",
      "",
      "Pin the version: `gem install rails:7.1.3` (several gems: `gem install rails:7.1.3 puma:6.4.2`) or `gem install rails -v 7.1.3`. For an application, install from the lock file: `bundle install` with a committed `Gemfile.lock`, or `gem install -g Gemfile`. `.gem` files, paths and variables are not reported."
    ].join("\n"),
    bad: "FROM ruby:3.3-slim\nRUN gem install bundler",
    good: "FROM ruby:3.3-slim\nRUN gem install bundler:2.5.16",
    tags: ["best-practice", "reproducibility"],
    optionsSchema: PIN_OPTIONS_SCHEMA,
    optionsDoc: PIN_OPTIONS_DOC
  },
  defaultOptions: { ignore: [] },
  check({ model, options, report }) {
    for (const { commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = gemInstallCall(cmd);
        if (!call || hasOpt(call, "v", "version", "g", "file")) continue;
        const loose = call.operands.filter((g) => unpinnedGem(g) && !isIgnored(g, options.ignore));
        if (loose.length === 0) continue;
        report({
          line: cmd.line,
          message: `pin the version of ${listPackages(loose)} in gem install: write \`${loose[0]}:<version>\` (or \`gem install ${loose[0]} -v <version>\`)`
        });
      }
    }
  }
});

// src/core/rules/healthcheck-missing.ts
var healthcheck_missing_default = defineRule({
  meta: {
    id: "healthcheck-missing",
    aliases: ["DL3057", "DS-0026", "CKV_DOCKER_2"],
    severity: "note",
    enabledByDefault: false,
    title: "The shipped image declares no HEALTHCHECK",
    description: [
      "Without a `HEALTHCHECK`, Docker (and Swarm, and `docker compose` `depends_on: condition: service_healthy`) only knows whether the main process is alive, not whether it still serves requests. A deadlocked server keeps running and receiving traffic.",
      "",
      'Add a probe to the stage that ships, for example `HEALTHCHECK --interval=30s --timeout=3s CMD ["/app/healthcheck"]` or `HEALTHCHECK CMD curl -fs http://localhost:8080/health || exit 1` (if curl is in the image). If the image is orchestrated by Kubernetes, which ignores `HEALTHCHECK` in favour of its own probes, or runs batch jobs, write `HEALTHCHECK NONE` to make that explicit.',
      "",
      "The rule checks the stages that ship (the last stage, or the configured targets), including the stages they build on (`FROM <stage>` inherits its `HEALTHCHECK`). A `HEALTHCHECK` defined in an external base image cannot be seen and is not counted. Off by default: enable it where your runtime uses Docker health checks."
    ].join("\n"),
    bad: "FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/",
    good: "FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\nHEALTHCHECK --interval=30s --timeout=3s CMD curl -fs http://localhost/ || exit 1",
    tags: ["reliability", "cis:4.6"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const stage of model.stages) {
      if (!model.isShipped(stage)) continue;
      const has2 = stageAncestry(model, stage).some((s) => s.instructions.some((i2) => i2.keyword === "HEALTHCHECK"));
      if (has2) continue;
      report({
        line: stage.instruction.line,
        column: stage.instruction.column,
        message: `the image built from ${stage.name ? `stage "${stage.name}"` : "this stage"} has no HEALTHCHECK: add HEALTHCHECK CMD <probe> (e.g. HEALTHCHECK CMD curl -fs http://localhost:<port>/health || exit 1), or HEALTHCHECK NONE if it needs none`
      });
    }
  }
});

// src/core/rules/invalid-instruction-order.ts
var invalid_instruction_order_default = defineRule({
  meta: {
    id: "invalid-instruction-order",
    aliases: ["DL3061"],
    severity: "error",
    title: "A Dockerfile must start with FROM (or ARG)",
    description: [
      "Every build instruction runs inside a stage, and a stage starts with `FROM`. Before the first `FROM` only parser directives (`# syntax=\u2026`, `# escape=\u2026`), comments and `ARG` (to parameterize `FROM`) are allowed; anything else is rejected by the builder.",
      "",
      "Move the instruction after the first `FROM`. If it sets a value that `FROM` needs, turn it into a global `ARG`."
    ].join("\n"),
    bad: 'LABEL org.opencontainers.image.source="https://github.com/acme/app"\nFROM alpine:3.20',
    good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.source="https://github.com/acme/app"',
    tags: ["correctness"]
  },
  defaultOptions: {},
  check({ model, report }) {
    const hasFrom = model.stages.length > 0;
    for (const instr of model.instructions) {
      if (instr.keyword === "FROM") break;
      if (instr.keyword === "ARG" || !KNOWN_INSTRUCTIONS.has(instr.keyword)) continue;
      if (!hasFrom) {
        report({
          line: instr.line,
          column: instr.column,
          message: `${instr.keyword} comes before any FROM, and this Dockerfile has no FROM at all; start it with FROM <image>:<version> (only ARG and parser directives may come before it)`
        });
        return;
      }
      const hint = instr.keyword === "ENV" ? "; if FROM needs the value, use a global ARG instead" : "";
      report({
        line: instr.line,
        column: instr.column,
        message: `${instr.keyword} comes before the first FROM; only ARG and parser directives may come before FROM: move it after FROM${hint}`
      });
    }
  }
});

// src/core/rules/json-cmd-entrypoint.ts
var SHELL_SYNTAX = /[$`|&;<>(){}*?[\]~#\\'"]|^[A-Za-z_][A-Za-z0-9_]*=/;
var json_cmd_entrypoint_default = defineRule({
  meta: {
    id: "json-cmd-entrypoint",
    aliases: ["DL3025", "JSONArgsRecommended"],
    severity: "warning",
    title: "Use the JSON (exec) form for CMD and ENTRYPOINT",
    description: [
      'In shell form (`CMD node server.js`) Docker runs `/bin/sh -c "node server.js"`: the shell is PID 1 and your program its child. `docker stop` sends SIGTERM to the shell, which does not forward it, so the program never shuts down gracefully and is killed after the timeout. A shell-form `ENTRYPOINT` also ignores `CMD` and `docker run` arguments.',
      "",
      'Write the exec form, a JSON array with double quotes: `CMD ["node", "server.js"]`. When the command is a plain list of words the message spells out the array (and a fix is offered for single-line instructions). When you need shell features (variables, `&&`, pipes), either put them in a script that ends with `exec "$@"` / `exec program`, or write `CMD ["sh", "-c", "exec program --port \\"$PORT\\""]` so the program replaces the shell.',
      "",
      'A `CMD` in shell form that is a single command started with `exec` (`CMD exec nginx -g "daemon off;"`) is not reported: the program replaces the shell and receives signals itself (an `ENTRYPOINT` written that way still ignores `CMD` and `docker run` arguments, and is reported for that). A `[...]` argument that is not valid JSON (single quotes, missing commas) silently falls back to shell form and is reported with that explanation. As with BuildKit\'s check, stages that set an explicit `SHELL` are not reported: the shell form is then deliberate.'
    ].join("\n"),
    bad: "FROM node:22-alpine\nCMD node server.js",
    good: 'FROM node:22-alpine\nCMD ["node", "server.js"]',
    tags: ["best-practice", "reliability"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== "CMD" && instr.keyword !== "ENTRYPOINT") continue;
      if (instr.json) continue;
      const text = instr.rest.trim();
      if (text === "") continue;
      if (model.shellFor(instr) !== void 0) continue;
      const kw = instr.keyword;
      if (text.startsWith("[") && text.endsWith("]")) {
        report({
          line: instr.line,
          column: instr.column,
          message: `${kw} ${text} is not valid JSON (use double quotes and commas), so Docker runs it in shell form under /bin/sh -c; write it as a JSON array of double-quoted strings`
        });
        continue;
      }
      const script = shellParserReady() ? parseShell(text) : void 0;
      const single = script && !script.hasErrors && script.commands.length === 1 && script.pipelines === 0 ? script.commands[0] : void 0;
      if (single && single.wrappers[0] === "exec") {
        if (kw === "CMD") continue;
        report({
          line: instr.line,
          column: instr.column,
          message: `ENTRYPOINT in shell form ignores CMD and docker run arguments: write ENTRYPOINT ${jsonArray([single.name, ...single.args])} (variables are not expanded in JSON form: move them into a script that ends with exec "$@")`
        });
        continue;
      }
      const words = instr.words.map((w) => w.value);
      const simple = words.length > 0 && !words.some((w) => SHELL_SYNTAX.test(w)) && !/['"\\]/.test(text);
      const exec2 = simple ? `${kw} ${jsonArray(words)}` : void 0;
      const line = model.lines[instr.line - 1];
      const fix = exec2 && instr.endLine === instr.line && line !== void 0 ? {
        line: instr.line,
        endLine: instr.line,
        replacement: line.slice(0, instr.column - 1) + line.slice(instr.column - 1, instr.column - 1 + kw.length) + " " + jsonArray(words),
        description: "Use the exec form"
      } : void 0;
      const why = `${kw} in shell form runs under /bin/sh -c, which does not forward signals to the program`;
      let message;
      if (exec2) {
        message = `${why}: write ${exec2}`;
      } else {
        const flat = text.replace(/\s+/g, " ");
        message = single && flat.length <= 100 ? `${why}: write ${kw} ${jsonArray(kw === "CMD" ? ["sh", "-c", `exec ${flat}`] : ["sh", "-c", `exec ${flat} "$@"`, "--"])} so the program replaces the shell, or use the JSON form without variables` : `${why}: use the JSON form, e.g. ${kw} ["sh", "-c", "exec ..."] so the program replaces the shell, or move the logic into a script that ends with exec`;
      }
      report({ line: instr.line, column: instr.column, message, fix });
    }
  }
});

// src/core/rules/maintainer-deprecated.ts
var maintainer_deprecated_default = defineRule({
  meta: {
    id: "maintainer-deprecated",
    aliases: ["DL4000", "DS-0022", "CKV_DOCKER_6", "MaintainerDeprecated"],
    severity: "note",
    title: "MAINTAINER is deprecated",
    description: "The `MAINTAINER` instruction is deprecated since Docker 1.13. Use the OCI label `org.opencontainers.image.authors` instead, which tools and registries can read.",
    bad: "FROM alpine:3.20\nMAINTAINER jane@example.com",
    good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="jane@example.com"',
    tags: ["maintainability"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== "MAINTAINER") continue;
      const who = instr.rest.trim().replace(/"/g, '\\"');
      report({
        line: instr.line,
        column: instr.column,
        message: "MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors instead",
        fix: { line: instr.line, endLine: instr.endLine, replacement: `LABEL org.opencontainers.image.authors="${who}"` }
      });
    }
  }
});

// src/core/rules/multiple-cmd.ts
var multiple_cmd_default = defineRule({
  meta: {
    id: "multiple-cmd",
    aliases: ["DL4003", "DS-0016", "MultipleInstructionsDisallowed"],
    severity: "warning",
    title: "More than one CMD in a stage",
    description: [
      "Only the last `CMD` of a stage takes effect; every earlier one is silently discarded. Having several usually means a leftover from editing, or a belief that each `CMD` runs in turn, which it does not.",
      "",
      "Keep a single `CMD` at the end of the stage. To run several processes, start them from one entrypoint script or use a process supervisor; to run something at build time, use `RUN`.",
      "",
      "The rule reports every `CMD` after the first in a stage (where hadolint reports it, so `# hadolint ignore=` comments keep working) and names the line of the `CMD` it overrides."
    ].join("\n"),
    bad: 'FROM python:3.12-slim\nCMD ["python", "migrate.py"]\nCMD ["python", "app.py"]',
    good: 'FROM python:3.12-slim\nCOPY start.sh /usr/local/bin/\nCMD ["start.sh"]',
    tags: ["correctness", "maintainability"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const list2 of repeatedInStage(model, "CMD")) {
      for (let k = 1; k < list2.length; k++) {
        const prev = list2[k - 1];
        report({
          line: list2[k].line,
          column: list2[k].column,
          message: `another CMD in this stage: it overrides the CMD at line ${prev.line}, which has no effect; keep only one CMD (merge them into one start script)`
        });
      }
    }
  }
});

// src/core/rules/multiple-entrypoint.ts
var multiple_entrypoint_default = defineRule({
  meta: {
    id: "multiple-entrypoint",
    aliases: ["DL4004", "DS-0007"],
    severity: "error",
    title: "More than one ENTRYPOINT in a stage",
    description: [
      "Only the last `ENTRYPOINT` of a stage takes effect; earlier ones are silently discarded. The image then starts a different program than a reader of the first `ENTRYPOINT` expects.",
      "",
      'Keep one `ENTRYPOINT` per stage. If several steps must run at start-up, put them in one entrypoint script that ends with `exec "$@"`.',
      "",
      "The rule reports every `ENTRYPOINT` after the first in a stage (where hadolint reports it, so `# hadolint ignore=` comments keep working) and names the line of the `ENTRYPOINT` it overrides."
    ].join("\n"),
    bad: 'FROM alpine:3.20\nENTRYPOINT ["/usr/local/bin/init.sh"]\nENTRYPOINT ["/usr/local/bin/app"]',
    good: 'FROM alpine:3.20\nCOPY docker-entrypoint.sh /usr/local/bin/\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["app"]',
    tags: ["correctness", "maintainability"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const list2 of repeatedInStage(model, "ENTRYPOINT")) {
      for (let k = 1; k < list2.length; k++) {
        const prev = list2[k - 1];
        report({
          line: list2[k].line,
          column: list2[k].column,
          message: `another ENTRYPOINT in this stage: it overrides the ENTRYPOINT at line ${prev.line}, which has no effect; keep only one ENTRYPOINT (a script ending in exec "$@" can run several steps)`
        });
      }
    }
  }
});

// src/core/rules/multiple-healthcheck.ts
var multiple_healthcheck_default = defineRule({
  meta: {
    id: "multiple-healthcheck",
    aliases: ["DL3012", "DS-0023"],
    severity: "error",
    title: "More than one HEALTHCHECK in a stage",
    description: [
      "Only the last `HEALTHCHECK` of a stage takes effect (`HEALTHCHECK NONE` included); earlier ones are silently discarded, so the probe that runs may not be the one a reader sees first.",
      "",
      'Keep a single `HEALTHCHECK` per stage. To check several things, combine them in one command or a small health script: `HEALTHCHECK CMD ["/usr/local/bin/healthcheck.sh"]`.',
      "",
      "The rule reports every `HEALTHCHECK` after the first in a stage (where hadolint reports it, so `# hadolint ignore=` comments keep working) and names the line of the `HEALTHCHECK` it overrides."
    ].join("\n"),
    bad: "FROM nginx:1.27\nHEALTHCHECK CMD curl -fs http://localhost/ || exit 1\nHEALTHCHECK CMD curl -fs http://localhost/health || exit 1",
    good: "FROM nginx:1.27\nHEALTHCHECK CMD curl -fs http://localhost/health || exit 1",
    tags: ["correctness", "maintainability"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const list2 of repeatedInStage(model, "HEALTHCHECK")) {
      for (let k = 1; k < list2.length; k++) {
        const prev = list2[k - 1];
        report({
          line: list2[k].line,
          column: list2[k].column,
          message: `another HEALTHCHECK in this stage: it overrides the HEALTHCHECK at line ${prev.line}, which has no effect; keep only one HEALTHCHECK (combine the checks in one command or script)`
        });
      }
    }
  }
});

// src/core/rules/npm-pin-versions.ts
var GIT_RE = /^(git(\+(ssh|https?|file))?:\/\/|git@|github:|gitlab:|bitbucket:|gist:)/i;
function npmPackageName(spec) {
  const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
  return at < 0 ? spec : spec.slice(0, at);
}
function npmVersion(spec) {
  const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
  return at < 0 ? void 0 : spec.slice(at + 1);
}
function unpinnedNpmSpec(spec) {
  if (isDynamic(spec)) return false;
  if (GIT_RE.test(spec)) return !spec.includes("#");
  if (/^(https?:\/\/|file:)/i.test(spec) || /^(\/|\.{1,2}(\/|$)|~\/)/.test(spec) || /\.(tgz|tar|tar\.gz)$/i.test(spec)) return false;
  if (/^[^@]+@npm:/.test(spec)) return /^[^@]+@npm:(@[^/]+\/)?[^@]+$/.test(spec) || /@latest$/.test(spec);
  if (!spec.startsWith("@") && spec.includes("/")) return !spec.includes("#");
  const version = npmVersion(spec);
  return version === void 0 || version === "" || version === "latest" || version === "*";
}
var npm_pin_versions_default = defineRule({
  meta: {
    id: "npm-pin-versions",
    aliases: ["DL3016"],
    severity: "warning",
    title: "npm install of a package without a version",
    description: [
      "`npm install -g typescript` installs whatever the registry tags `latest` on the day of the build, so two builds of the same Dockerfile can ship different code, and a new major release can break the image without any change to the source.",
      "",
      "Pin the version: `npm install -g typescript@5.5.4`. For an application, install from the lock file instead: `COPY package.json package-lock.json ./` then `npm ci`. Not reported: a bare `npm install` / `npm ci` (they read `package.json` and the lock file), folders and tarballs, tarball URLs, git URLs and `user/repo` shorthands with a `#ref`, and variables. `@latest` and `@*` are reported: they are the opposite of a pin."
    ].join("\n"),
    bad: "FROM node:20-slim\nRUN npm install -g typescript",
    good: "FROM node:20-slim\nRUN npm install -g typescript@5.5.4",
    tags: ["best-practice", "reproducibility"],
    optionsSchema: PIN_OPTIONS_SCHEMA,
    optionsDoc: PIN_OPTIONS_DOC
  },
  defaultOptions: { ignore: [] },
  check({ model, options, report }) {
    for (const { commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = npmInstallCall(cmd);
        if (!call) continue;
        const loose = call.operands.filter((p) => unpinnedNpmSpec(p) && !isIgnored(npmPackageName(p), options.ignore));
        if (loose.length === 0) continue;
        const first = loose[0];
        const example = GIT_RE.test(first) || !first.startsWith("@") && first.includes("/") ? `${first}#<commit or tag>` : `${npmPackageName(first)}@<version>`;
        report({
          line: cmd.line,
          message: `pin the version of ${listPackages(loose)} in npm ${call.sub}: write \`${example}\`, or install from a lock file with \`npm ci\``
        });
      }
    }
  }
});

// src/core/rules/package-signature-disabled.ts
var TRUSTED_SOURCE_RE = /\[[^\]]*\btrusted\s*=\s*yes\b[^\]]*\]\s*(?!file:|copy:)[a-z+]+:/i;
var APT_CONF_RE = /(APT::Get::AllowUnauthenticated|Acquire::AllowInsecureRepositories|Acquire::AllowDowngradeToInsecureRepositories)\s*"?\s*(1|true|yes|on)\b/i;
var GPGCHECK_OFF_RE = /(^|\\n|\n|\s|;)(repo_)?gpgcheck\s*=\s*(0|false|no|off)\b/i;
var INSECURE_APT_KEYS = /* @__PURE__ */ new Set(["apt::get::allowunauthenticated", "acquire::allowinsecurerepositories", "acquire::allowdowngradetoinsecurerepositories"]);
function aptProblem(cmd) {
  const call = aptCall(cmd, ["apt-get", "apt", "aptitude"]);
  if (!call) return void 0;
  const p = call.program;
  for (const o of call.opts) {
    if (o.name === "allow-unauthenticated" && !isFalse(o.value))
      return `\`${p} --allow-unauthenticated\` installs packages whose signatures were not verified: remove it and import the repository's key (signed-by=)`;
    if (o.name === "force-yes") return `\`${p} --force-yes\` also installs unauthenticated packages and downgrades: remove it and use \`-y\``;
    if (o.name === "allow-insecure-repositories" && !isFalse(o.value))
      return `\`${p} --allow-insecure-repositories\` accepts unsigned repositories: remove it and import the repository's key (signed-by=)`;
  }
  for (const v of optValues(call, "o", "option")) {
    const eq = v.indexOf("=");
    if (eq > 0 && INSECURE_APT_KEYS.has(v.slice(0, eq).trim().toLowerCase()) && isTrue(v.slice(eq + 1))) {
      return `\`${p} -o ${v}\` turns off signature checks: remove it and import the repository's key (signed-by=)`;
    }
  }
  return void 0;
}
function rpmFamilyProblem(cmd) {
  const yum = yumCall(cmd);
  if (yum) {
    if (yum.opts.some((o) => o.name === "nogpgcheck" || o.name === "no-gpgchecks"))
      return `\`${yum.program} --nogpgcheck\` installs packages without checking their signatures: remove it and import the vendor key with \`rpm --import\``;
    const off = optValues(yum, "setopt").find((v) => /(^|\.)(localpkg_|repo_)?gpgcheck=/i.test(v) && isFalse(v.slice(v.indexOf("=") + 1)));
    if (off) return `\`${yum.program} --setopt=${off}\` turns off signature checks: remove it and import the vendor key with \`rpm --import\``;
    return void 0;
  }
  if (programOf(cmd) === "rpm") {
    const call = parseCall(cmd, cmd.args, { long: ["root", "dbpath", "define", "eval", "macros", "rcfile", "prefix", "relocate", "excludepath"] });
    const off = call.opts.find((o) => o.long && ["nosignature", "nodigest", "noverify", "nofiledigest"].includes(o.name));
    if (off) return `\`rpm --${off.name}\` skips package signature or digest checks: remove it and import the vendor key with \`rpm --import\``;
  }
  return void 0;
}
function zypperProblem(cmd) {
  const call = zypperCall(cmd);
  if (!call) return void 0;
  if (call.opts.some((o) => o.global && o.name === "no-gpg-checks"))
    return "`zypper --no-gpg-checks` installs packages without checking their signatures: remove it and import the repository key (`rpm --import`)";
  if ((call.sub === "addrepo" || call.sub === "ar") && call.opts.some((o) => !o.global && (o.name === "no-gpgcheck" || o.name === "G")))
    return "`zypper addrepo --no-gpgcheck` adds a repository whose packages are never verified: remove it and import the repository key (`rpm --import`)";
  return void 0;
}
function configProblem(cmd) {
  const p = programOf(cmd);
  if (p !== "echo" && p !== "printf") return void 0;
  for (const a of cmd.args) {
    if (TRUSTED_SOURCE_RE.test(a))
      return "an apt source with `[trusted=yes]` installs its packages without checking signatures: import the repository key and use `[signed-by=/etc/apt/keyrings/<key>.gpg]`";
    if (GPGCHECK_OFF_RE.test(a))
      return "`gpgcheck=0` in a repository configuration installs packages without checking signatures: set `gpgcheck=1` and a `gpgkey=`";
    if (APT_CONF_RE.test(a)) return "this apt configuration turns off signature checks: remove it and import the repository key (signed-by=)";
  }
  return void 0;
}
function builtHere(model, instr) {
  const dirs = [];
  const isStage = (v) => v !== void 0 && classifyFrom(model, v).kind === "stage";
  for (const f of instr.flags) {
    if (f.name !== "mount" || !f.value) continue;
    const o = parseMountOptions(f.value);
    const target = o.get("target") ?? o.get("dst") ?? o.get("destination");
    if (target && isStage(o.get("from"))) dirs.push(target);
  }
  for (const i2 of instructionsBefore(model, instr)) {
    if (i2.keyword !== "COPY" || !isStage(i2.flags.find((f) => f.name === "from")?.value)) continue;
    const dest = i2.json ? i2.json[i2.json.length - 1] : i2.words[i2.words.length - 1]?.value;
    if (dest) dirs.push(dest);
  }
  return dirs.map((d) => d.endsWith("/") ? d : d + "/");
}
function problem(model, instr, cmd) {
  const apk = apkCall(cmd);
  if (apk) {
    if (!apk.opts.some((o) => o.name === "allow-untrusted")) return void 0;
    const dirs = builtHere(model, instr);
    const local = apk.operands.length > 0 && apk.operands.every((p) => /\.apk$/.test(p) && dirs.some((d) => p.startsWith(d)));
    return local ? void 0 : "`apk --allow-untrusted` installs packages whose signatures were not verified: add the signing key to /etc/apk/keys instead";
  }
  return aptProblem(cmd) ?? rpmFamilyProblem(cmd) ?? zypperProblem(cmd) ?? configProblem(cmd);
}
var package_signature_disabled_default = defineRule({
  meta: {
    id: "package-signature-disabled",
    aliases: ["CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_10", "CKV2_DOCKER_11"],
    severity: "error",
    title: "Package signature checks disabled",
    description: [
      "Package managers verify that every package was signed by the distribution or vendor; that check is what stops a compromised mirror, proxy or DNS entry from slipping a modified package into the image. These options turn it off:",
      "",
      "- `apk add --allow-untrusted`",
      "- `apt-get --allow-unauthenticated`, `--allow-insecure-repositories`, `--force-yes`, `-o APT::Get::AllowUnauthenticated=true`, and `deb [trusted=yes] http...` sources",
      "- `yum`/`dnf`/`tdnf --nogpgcheck`, `--setopt=gpgcheck=0`, and `gpgcheck=0` in a `.repo` file",
      "- `rpm --nosignature`, `--nodigest`, `--noverify`, `--nofiledigest`",
      "- `zypper --no-gpg-checks`, `zypper addrepo --no-gpgcheck`",
      "",
      "Import the vendor's key instead: copy it to `/etc/apk/keys/`, reference it with `signed-by=` in the apt source (`/etc/apt/keyrings/`), or `rpm --import` it and keep `gpgcheck=1`. For a package you built yourself, sign it, or verify its checksum (`sha256sum -c`) before installing it.",
      "",
      "Not reported, because nothing is downloaded: a local apt repository (`deb [trusted=yes] file:/...`), and `apk add --allow-untrusted` of `.apk` files that a stage of the same Dockerfile built (bind-mounted with `RUN --mount=...,from=<stage>` or copied with `COPY --from=<stage>`)."
    ].join("\n"),
    bad: "FROM alpine:3.20\nCOPY glibc-2.35-r1.apk /tmp/\nRUN apk add --allow-untrusted /tmp/glibc-2.35-r1.apk",
    good: "FROM alpine:3.20\nCOPY sgerrand.rsa.pub /etc/apk/keys/\nCOPY glibc-2.35-r1.apk /tmp/\nRUN apk add /tmp/glibc-2.35-r1.apk",
    tags: ["security", "supply-chain"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { instr, commands } of runInfos(model)) {
      for (const cmd of commands) {
        const message = problem(model, instr, cmd);
        if (message) report({ line: cmd.line, message });
      }
    }
  }
});

// src/core/rules/pip-no-cache-dir.ts
var PIP_CACHE_RE = /(^|\/)\.cache(\/pip)?\/?(\*)?$/;
function disablesCache(value) {
  return value !== void 0 && value.trim() !== "";
}
function purgesCache(cmd) {
  if (removesPath(cmd, (p) => PIP_CACHE_RE.test(p))) return true;
  const prog = programOf(cmd);
  const pipArgs = /^pip(\d+(\.\d+)?)?$/.test(prog) ? cmd.args : /^python(\d+(\.\d+)?)?$/.test(prog) && cmd.args[0] === "-m" && cmd.args[1] === "pip" ? cmd.args.slice(2) : void 0;
  return pipArgs !== void 0 && pipArgs[0] === "cache" && (pipArgs[1] === "purge" || pipArgs[1] === "remove");
}
var pip_no_cache_dir_default = defineRule({
  meta: {
    id: "pip-no-cache-dir",
    aliases: ["DL3042"],
    severity: "note",
    title: "pip install without --no-cache-dir",
    description: [
      "pip keeps every wheel it downloads or builds in `~/.cache/pip`. In an image that cache is dead weight (often tens or hundreds of MB) that is never used again.",
      "",
      "Write `pip install --no-cache-dir ...`, or set `ENV PIP_NO_CACHE_DIR=1` once in the stage (any value works: pip treats `PIP_NO_CACHE_DIR=0` the same way). With BuildKit, a cache mount keeps the cache out of the image and speeds up rebuilds: `RUN --mount=type=cache,target=/root/.cache/pip pip install ...`. Deleting `~/.cache/pip` (or running `pip cache purge`) later in the same `RUN` works too.",
      "",
      "Only stages that ship are checked (see `all-stages`): a builder stage whose files are copied out with `COPY --from` does not make the image bigger."
    ].join("\n"),
    bad: "FROM python:3.12-slim\nRUN pip install flask==3.0.3",
    good: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3",
    tags: ["best-practice", "image-size"],
    optionsSchema: STAGES_OPTIONS_SCHEMA,
    optionsDoc: STAGES_OPTIONS_DOC
  },
  defaultOptions: { "all-stages": false },
  check({ model, options, report }) {
    const shipped = shippedStages(model);
    for (const { instr, stage, commands } of runInfos(model)) {
      if (!options["all-stages"] && stage && !shipped.has(stage.index)) continue;
      const mounts = cacheMountTargets(instr);
      if (mounts.some((t) => PIP_CACHE_RE.test(t))) continue;
      if (disablesCache(envValue(model, instr, "PIP_NO_CACHE_DIR"))) continue;
      const cacheDir = envValue(model, instr, "PIP_CACHE_DIR");
      commands.forEach((cmd, k) => {
        const call = pipInstallCall(cmd);
        if (!call || hasOpt(call, "dry-run") || call.opts.some((o) => o.long && o.name.startsWith("no-cache") && "no-cache-dir".startsWith(o.name))) return;
        const setsVar = (c) => c.assignments.some((a) => a.startsWith("PIP_NO_CACHE_DIR=") && disablesCache(a.slice("PIP_NO_CACHE_DIR=".length).replace(/^["']|["']$/g, "")));
        if (setsVar(cmd) || commands.slice(0, k).some((c) => programOf(c) === "export" && setsVar(c))) return;
        const dirs = [...optValues(call, "cache-dir"), ...cacheDir ? [cacheDir] : []];
        if (dirs.some((d) => mounts.some((t) => d === t || d.startsWith(t + "/")))) return;
        if (commands.slice(k + 1).some(purgesCache)) return;
        report({
          line: cmd.line,
          message: "`pip install` keeps its download cache in the image: write `pip install --no-cache-dir`, or set `ENV PIP_NO_CACHE_DIR=1`"
        });
      });
    }
  }
});

// src/core/rules/pip-pin-versions.ts
var VCS_RE = /^(git|hg|svn|bzr)(\+[a-z-]+)?:/i;
function requirementName(req) {
  return req.split(/[\s;[=<>!~@]/)[0];
}
function unpinnedPipRequirement(arg) {
  if (isDynamic(arg)) return false;
  const req = arg.split(";")[0].trim();
  if (req === "" || req === "." || req === "..") return false;
  if (VCS_RE.test(req)) {
    const path11 = req.replace(/^[^:]+:\/\/[^/]*/, "");
    return !path11.includes("@");
  }
  if (/(==|>=|<=|!=|~=|===|>|<|@)/.test(req)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(req) || req.includes("/") || /^[.~]/.test(req)) return false;
  if (/\.(whl|tar\.gz|tgz|zip|tar\.bz2|tar\.xz)$/i.test(req)) return false;
  return true;
}
var pip_pin_versions_default = defineRule({
  meta: {
    id: "pip-pin-versions",
    aliases: ["DL3013"],
    severity: "warning",
    title: "pip install without pinned versions",
    description: [
      "Without a version, `pip install flask` installs whatever PyPI offers on the day of the build. Two builds of the same Dockerfile can ship different code, and a new major release can break the image without any change to the source.",
      "",
      "Pin each requirement, `pip install flask==3.0.3` (any version specifier such as `>=`, `~=` or `<` counts), or better, install from a lock file: `pip install -r requirements.txt` with pinned (ideally hashed, `--require-hashes`) requirements. Not reported: `-r`/`--requirement` files, `-c`/`--constraint` (the constraints file pins), `-e`/`--editable`, local paths and `.`, wheels and archives, URLs, VCS URLs with a ref (`git+https://...@v1.2`), variables, and installs from a local wheelhouse with `--no-index`.",
      "",
      "Like hadolint, `pip install --upgrade pip` is reported too: it installs a different pip on every build. Pin it (`pip install pip==24.2`) or list `pip` in `ignore`."
    ].join("\n"),
    bad: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask",
    good: "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt flask==3.0.3",
    tags: ["best-practice", "reproducibility"],
    optionsSchema: PIN_OPTIONS_SCHEMA,
    optionsDoc: PIN_OPTIONS_DOC
  },
  defaultOptions: { ignore: [] },
  check({ model, options, report }) {
    for (const { commands } of runInfos(model)) {
      for (const cmd of commands) {
        const call = pipInstallCall(cmd);
        if (!call) continue;
        if (hasOpt(call, "c", "constraint", "no-index", "dry-run")) continue;
        const loose = call.operands.filter((p) => unpinnedPipRequirement(p) && !isIgnored(requirementName(p), options.ignore));
        if (loose.length === 0) continue;
        const shown = loose.map((p) => p.length > 40 && p.includes("[") ? `${requirementName(p)}[...]` : p);
        const example = shown[0];
        const fix = VCS_RE.test(example) ? `\`${example.replace(/#.*$/, "")}@<tag or commit>\`` : `\`${example}==<version>\``;
        report({
          line: cmd.line,
          message: `pin the version of ${listPackages(shown)} in pip install: write ${fix}, or install from a requirements file with pinned versions`
        });
      }
    }
  }
});

// src/core/rules/pointless-commands.ts
var POINTLESS = {
  ssh: "fetch sources over HTTPS, or use RUN --mount=type=ssh with the command that needs the key (git clone, scp)",
  vim: "edit files non-interactively (sed -i, a heredoc) or COPY the finished file",
  shutdown: "remove it: a build step cannot shut anything down",
  service: "services started in RUN stop when the step ends: start the process from CMD/ENTRYPOINT (or an entrypoint script)",
  ps: "remove it: it only inspects the throw-away build container",
  free: "remove it: it only inspects the throw-away build container",
  top: "remove it: it is interactive and only inspects the throw-away build container",
  kill: "remove it: processes do not outlive the RUN step; start long-running processes from CMD/ENTRYPOINT",
  mount: "use RUN --mount=type=bind|cache|tmpfs|secret instead; mount needs privileges the build does not have",
  ifconfig: "remove it: the build network is not the runtime network (configure ports with EXPOSE and at run time)"
};
var pointless_commands_default = defineRule({
  meta: {
    id: "pointless-commands",
    aliases: ["DL3001"],
    severity: "note",
    title: "Command that makes no sense in a RUN",
    description: [
      "Some commands are meant for an interactive, long-running machine and do nothing useful in a `RUN` step, which executes once in a throw-away container during the build: `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount` and `ifconfig` (hadolint's list). They usually signal a misunderstanding (a `service nginx start` that does not survive the step) or debugging leftovers.",
      "",
      "Instead: start processes from `CMD`/`ENTRYPOINT`; edit files with `sed` or `COPY`; use `RUN --mount=type=ssh` / `type=cache` / `type=secret` instead of `ssh` keys or `mount`; drop diagnostic commands. Where such a command is genuinely part of the build (for example starting a database to load a schema and stopping it again in the same `RUN`), suppress the finding with a reason."
    ].join("\n"),
    bad: "FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends nginx && service nginx start",
    good: 'FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y --no-install-recommends nginx\nCMD ["nginx", "-g", "daemon off;"]',
    tags: ["best-practice"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { cmd } of runCommandsDeep(model)) {
      const name2 = commandName(cmd);
      if (!Object.prototype.hasOwnProperty.call(POINTLESS, name2)) continue;
      report({ line: cmd.line, message: `${name2} makes no sense in a RUN step: ${POINTLESS[name2]}` });
    }
  }
});

// src/core/rules/util/users.ts
function userText(instr) {
  return instr.rest.trim();
}
function resolveUser(model, instr) {
  const written = userText(instr);
  const sub = instr.resolve(written);
  if (sub.unresolved.length > 0) return void 0;
  const value = splitWords(sub.value, model.escape).map((w) => w.value).join(" ").trim();
  return value === "" ? void 0 : value;
}
function effectiveUser(model, stage) {
  let s = stage;
  for (; ; ) {
    for (let k = s.instructions.length - 1; k >= 0; k--) {
      const instr = s.instructions[k];
      if (instr.keyword !== "USER") continue;
      const written = userText(instr);
      const value = resolveUser(model, instr);
      if (value === void 0) return { kind: "unknown", instr, stage: s };
      return { kind: "user", instr, stage: s, value, written, viaVariable: written.includes("$") };
    }
    const ref = s.from.stageRef;
    if (ref === void 0 || ref >= s.index) return { kind: "none", base: s.from, baseStage: s };
    s = model.stages[ref];
  }
}
var WINDOWS_ADMINS = /* @__PURE__ */ new Set(["containeradministrator", "ntauthoritysystem", "ntauthority\\system"]);
function isWindowsAdmin(spec) {
  return WINDOWS_ADMINS.has(spec.toLowerCase().replace(/[\s"']/g, ""));
}
function isRootUser(spec) {
  if (isWindowsAdmin(spec)) return true;
  const user = spec.split(":")[0].trim();
  return user === "root" || /^0+$/.test(user);
}

// src/core/rules/root-user.ts
var DEFAULT_NON_ROOT_IMAGES = [
  // Distroless `nonroot` variants run as uid 65532: :nonroot, :debug-nonroot, :nonroot-amd64 ...
  "gcr.io/distroless/**/*:*nonroot*",
  // Chainguard images run as nonroot (65532), except the -dev variants and wolfi-base.
  "cgr.dev/chainguard/**",
  "!cgr.dev/chainguard/**/*:*-dev",
  "!cgr.dev/chainguard/wolfi-base:*",
  // .NET chiseled images run as the `app` user (uid 1654).
  "mcr.microsoft.com/dotnet/**/*:*-chiseled*",
  // Nano Server runs as ContainerUser by default (Server Core runs as ContainerAdministrator).
  "mcr.microsoft.com/windows/nanoserver:*",
  "mcr.microsoft.com/dotnet/**/*:*nanoserver*",
  // nginx built to run as uid 101.
  "docker.io/nginxinc/nginx-unprivileged:*"
];
var LINUX_IMAGE_RE = /(?:alpine|debian|ubuntu|bookworm|bullseye|buster|trixie|jammy|noble|focal|mariner|azurelinux|cbl-mariner|ubi\d*)/i;
function referenceForGlob(ref) {
  if (!ref.tag && ref.digest) return `${imageName(ref)}@${ref.digest}`;
  return `${imageName(ref)}:${ref.tag ?? "latest"}`;
}
function isNonRootImage(ref, globs) {
  const name2 = referenceForGlob(ref);
  let hit = false;
  for (const g of globs) {
    if (g.startsWith("!")) {
      if (minimatch(name2, g.slice(1), { dot: true })) return false;
    } else if (!hit && minimatch(name2, g, { dot: true })) hit = true;
  }
  return hit;
}
function stageLabel(stage, last) {
  if (stage.name) return `stage "${stage.name}"`;
  return last ? "the final stage" : `stage #${stage.index}`;
}
var root_user_default = defineRule({
  meta: {
    id: "root-user",
    aliases: ["DL3002", "DS-0002", "CKV_DOCKER_3", "CKV_DOCKER_8"],
    severity: "warning",
    title: "The shipped image runs as root",
    description: [
      "A container that runs as root turns any code-execution bug into root inside the container, and one kernel or runtime escape away from root on the host. Run the shipped image as an unprivileged user.",
      "",
      "The rule looks at every stage that ships (the final stage, or the configured `targets`) and reports when:",
      "",
      "- its effective last `USER` is `root` or uid `0` (with or without a group: `root:wheel`, `0:0`), also when the name comes from an `ARG` or `ENV` (`USER $RUN_AS`, `--build-arg` values included);",
      "- on Windows, its last `USER` is `ContainerAdministrator` (or `NT AUTHORITY\\SYSTEM`);",
      "- there is no `USER` at all in the stage and its ancestry (`FROM <earlier stage>` inherits that stage's `USER`), so it runs as the base image's default user, which is root for almost every image. Base images that already run as non-root are listed in `non-root-images`. `FROM scratch` without `USER` runs as uid 0 and is reported too; Windows images other than Nano Server run as `ContainerAdministrator` by default and are reported too.",
      "",
      "Switching to root for a few steps and back (`USER root` \u2026 `USER app`) is fine: only the last `USER` counts. Build stages that do not ship are not checked. A `USER` whose variable has no value (`ARG APP_USER` without default or build arg) is not reported: the rule does not guess.",
      "",
      "Findings point at the offending `USER` line (in the stage that sets it, which may be an ancestor stage), or at the `FROM` line of the shipped stage when no `USER` is set.",
      "",
      "Instead, create a user and switch to it at the end of the stage (`RUN useradd --system --uid 10001 app` then `USER app`, or just `USER 10001:10001`; on scratch, use a numeric uid as there is no `/etc/passwd`), or start from a non-root base such as `gcr.io/distroless/static-debian12:nonroot`. On Windows, end with `USER ContainerUser`."
    ].join("\n"),
    bad: 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nUSER root\nCMD ["node", "server.js"]',
    good: 'FROM node:22-alpine\nWORKDIR /app\nCOPY --chown=node:node . .\nUSER node\nCMD ["node", "server.js"]',
    tags: ["security", "cis:4.1"],
    optionsSchema: {
      type: "object",
      properties: {
        "non-root-images": { type: "array", items: { type: "string" } }
      },
      additionalProperties: false
    },
    optionsDoc: [
      "- `non-root-images` (string[]): base images that already run as a non-root user, so a shipped stage built on them needs no `USER`. Minimatch globs matched against the normalized reference `registry/repository:tag` (`nginx` is `docker.io/library/nginx:latest`; a digest-only reference is `registry/repository@sha256:\u2026`). A glob starting with `!` excludes matching images even when another glob includes them. Setting this option replaces the default list, which is:",
      "",
      ...DEFAULT_NON_ROOT_IMAGES.map((g) => `  - \`${g}\``),
      "",
      "  Distroless `nonroot` tags and Chainguard images run as uid 65532 (Chainguard `-dev` tags and `wolfi-base` run as root); .NET chiseled images run as `app`; Nano Server runs as `ContainerUser`; `nginxinc/nginx-unprivileged` runs as uid 101."
    ].join("\n")
  },
  defaultOptions: { "non-root-images": DEFAULT_NON_ROOT_IMAGES },
  check({ model, options, report }) {
    const globs = Array.isArray(options["non-root-images"]) ? options["non-root-images"] : DEFAULT_NON_ROOT_IMAGES;
    const reported = /* @__PURE__ */ new Set();
    const lastIndex = model.stages.length - 1;
    for (const stage of model.stages) {
      if (!model.isShipped(stage)) continue;
      const label = stageLabel(stage, stage.index === lastIndex);
      const eff = effectiveUser(model, stage);
      if (eff.kind === "unknown") continue;
      if (eff.kind === "user") {
        if (!isRootUser(eff.value) || reported.has(eff.instr.line)) continue;
        reported.add(eff.instr.line);
        const admin = isWindowsAdmin(eff.value);
        const shown = eff.viaVariable ? `USER ${eff.written} (resolves to ${eff.value})` : `USER ${eff.written}`;
        const where = eff.stage === stage ? `makes ${label} run as ${admin ? "an administrator" : "root"}` : `is inherited by ${label}, which ships and so runs as ${admin ? "an administrator" : "root"}`;
        const instead = admin ? `end ${label} with USER ContainerUser` : `end ${label} with a non-root USER (e.g. USER 10001:10001, or a user created with useradd)`;
        report({ line: eff.instr.line, column: eff.instr.column, message: `${shown} ${where}: ${instead}` });
        continue;
      }
      const base = eff.base;
      if (base.image && isNonRootImage(base.image, globs)) continue;
      const line = stage.instruction.line;
      if (reported.has(line)) continue;
      reported.add(line);
      let message;
      if (base.scratch) {
        message = `${label} has no USER and is built FROM scratch, so it runs as uid 0: add a numeric non-root USER (e.g. USER 65532:65532; scratch has no /etc/passwd)`;
      } else if (eff.baseStage.windows && !LINUX_IMAGE_RE.test(base.resolved)) {
        message = `${label} has no USER, so it runs as ContainerAdministrator (the default of ${base.resolved}): add USER ContainerUser`;
      } else {
        const img = base.unresolved.length > 0 ? `${base.text}, which cannot be resolved` : base.resolved;
        message = `${label} has no USER, so it runs as the default user of ${img} (root for most images): add a non-root USER (e.g. USER 10001:10001, or a user created with useradd), or list the base in the non-root-images option if it already runs as non-root`;
      }
      report({ line, column: stage.instruction.column, message });
    }
  }
});

// src/core/rules/run-cd.ts
var run_cd_default = defineRule({
  meta: {
    id: "run-cd",
    aliases: ["DL3003", "DS-0013"],
    severity: "warning",
    title: "Use WORKDIR instead of cd in RUN",
    description: [
      "`cd` in a `RUN` only lasts until the end of that `RUN`; the next instruction starts in the `WORKDIR` again. Scattering `cd` through the Dockerfile hides where commands run and makes long `RUN` chains fragile (`cd build && make` silently runs in the wrong place if the directory is missing and `set -e` is not in force).",
      "",
      "Set the directory with `WORKDIR /path` (it is created if needed and applies to every following instruction), then run the commands.",
      "",
      "Like hadolint, the rule reports any `cd` command in a `RUN`, also the common `cd dir && make` chain and a `cd` in a subshell: when the directory is fixed, a `WORKDIR` before the `RUN` expresses it better. Where a temporary `cd` is genuinely clearer (building in a throw-away directory inside one `RUN`), suppress the finding with a reason. One finding is reported per `RUN`, at its first `cd`."
    ].join("\n"),
    bad: "FROM golang:1.23\nCOPY . /src\nRUN cd /src && go build -o /out/app .",
    good: "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .",
    tags: ["best-practice", "maintainability"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== "RUN") continue;
      const script = model.shellOf(instr);
      if (!script) continue;
      const cd = script.commands.find((c) => commandName(c) === "cd");
      if (!cd) continue;
      const dir = cd.args.find((a) => !a.startsWith("-"));
      const literal2 = dir !== void 0 && dir.startsWith("/") && !/[$`*?]/.test(dir);
      report({
        line: cd.line,
        column: instr.column,
        message: literal2 ? `cd ${dir} in RUN does not carry over to later instructions: set WORKDIR ${dir} before this RUN instead` : `cd in RUN does not carry over to later instructions: set the directory with WORKDIR <absolute path> before this RUN instead`
      });
    }
  }
});

// src/core/secrets/detect.ts
var NAME_TOKENS = /* @__PURE__ */ new Set(["apikey", "auth", "credential", "credentials", "key", "password", "pass", "passwd", "pwd", "secret", "token", "passphrase"]);
var NAME_RE2 = /(?:(?:root|admin|db|user)_?pass$|api[-_]?key|access[-_]?key|secret[-_]?key|private[-_]?key|client[-_]?secret|auth[-_]?token|access[-_]?token|password|passwd|secret|token|credentials)/i;
var NON_SECRET_NAME_RE = /(?:^|_)(?:GPG_KEYS?|PUBLIC_KEY|PUB_KEY|KEY_URL|KEYS_URL|KEY_ID|KEYID|KEY_IDS|KEYSERVER|KEY_SERVER|KEYRING|FINGERPRINT|FINGERPRINTS)$|(?:_FILE|_PATH|_DIR|_URL|_URI|_ENDPOINT|_HOST|_URL_FILE|_SHA256|_SHA512|_SHA1|_MD5|_CHECKSUM|_HASH|_SIZE|_LENGTH|_LEN|_TYPE|_NAME|_ALGORITHM|_ALGO|_VERSION|_ENABLED|_HEADER|_TTL|_EXPIRY|_TIMEOUT)$/i;
function nameTokens(name2) {
  return name2.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}
function isSecretName(name2) {
  if (NON_SECRET_NAME_RE.test(name2)) return false;
  if (nameTokens(name2).some((t) => NAME_TOKENS.has(t))) return true;
  return NAME_RE2.test(name2) && !/^(?:no|disable|skip)_/i.test(name2);
}
var has = (...needles) => (t) => needles.some((n) => t.includes(n));
var VALUE_PATTERNS = [
  {
    id: "aws-access-key",
    label: "AWS access key id",
    re: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/g,
    quick: has("AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA")
  },
  { id: "github-token", label: "GitHub token", re: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g, quick: has("ghp_", "gho_", "ghu_", "ghs_", "ghr_") },
  { id: "github-pat", label: "GitHub fine-grained token", re: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g, quick: has("github_pat_") },
  { id: "gitlab-token", label: "GitLab token", re: /\bglpat-[A-Za-z0-9_-]{20,}\b/g, quick: has("glpat-") },
  { id: "slack-token", label: "Slack token", re: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, quick: has("xox") },
  { id: "stripe-key", label: "Stripe live key", re: /\b[sr]k_live_[A-Za-z0-9]{16,}\b/g, quick: has("k_live_") },
  {
    id: "private-key",
    label: "PEM private key",
    re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|(?=["'\n]|$))/g,
    quick: has("PRIVATE KEY")
  },
  {
    id: "url-password",
    label: "password in URL",
    re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@'"$]+:([^\s/@'"$]{2,})@/g,
    quick: (t) => t.includes("://") && t.includes("@")
  },
  { id: "jwt", label: "JSON Web Token", re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, quick: has("eyJ") }
];
var ANY_HINT = /AKIA|ASIA|AGPA|AIDA|AROA|ANPA|gh[pousr]_|github_pat_|glpat-|xox|k_live_|PRIVATE KEY|:\/\/|eyJ/;
function findSecretValues(text) {
  const out2 = [];
  if (!ANY_HINT.test(text)) return out2;
  for (const kind of VALUE_PATTERNS) {
    if (!kind.quick(text)) continue;
    kind.re.lastIndex = 0;
    let m;
    while ((m = kind.re.exec(text)) !== null) {
      out2.push({ kind, text: kind.id === "url-password" ? m[1] : m[0] });
    }
  }
  return out2;
}
var FLAG_VALUE_RE = /^(?:true|false|yes|no|on|off|none|null|nil|enabled|disabled|0|1)$/i;
var PATH_VALUE_RE = /^(?:\/|\.\.?\/|~\/|[A-Za-z]:[\\/])[^\s]*$/;
var RELATIVE_FILE_RE = /^[\w.-]+(?:\/[\w.-]+)*\/[\w-]+(?:\.[\w-]+)*\.[a-z][a-z0-9]{0,4}$/;
var PLAIN_URL_RE = /^[a-z][a-z0-9+.-]*:\/\/[^\s@]+$/i;
function isNotASecretValue(value) {
  const v = value.trim();
  return FLAG_VALUE_RE.test(v) || PATH_VALUE_RE.test(v) || RELATIVE_FILE_RE.test(v) || PLAIN_URL_RE.test(v);
}
function isIndirectValue(value) {
  if (value === void 0) return true;
  const v = value.trim();
  return v === "" || /^\$\{?[A-Za-z_][A-Za-z0-9_]*(?::?[-+][^}]*)?\}?$/.test(v);
}
function maskSecret(value) {
  const keep = value.length >= 16 ? 4 : value.length >= 8 ? 2 : 0;
  return `${value.slice(0, keep)}****`;
}
function maskText(text, secrets = []) {
  let out2 = text;
  for (const s of secrets) {
    if (s.length < 3 || !out2.includes(s)) continue;
    const re = new RegExp(`(?<![A-Za-z0-9_])${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z0-9_])`, "g");
    out2 = out2.replace(re, () => maskSecret(s));
  }
  for (const m of findSecretValues(out2)) {
    if (m.text.endsWith("****")) continue;
    out2 = out2.split(m.text).join(maskSecret(m.text));
  }
  return out2;
}

// src/core/rules/secret-in-env.ts
var NO_PREVIEW = /* @__PURE__ */ new Set(["url-password", "private-key"]);
var HAS_VARIABLE_RE = /\$\{?[A-Za-z_]/;
function secretId(key) {
  return key.toLowerCase().replace(/[^a-z0-9_.-]+/g, "_");
}
function describe2(matches) {
  const seen = /* @__PURE__ */ new Set();
  const parts2 = [];
  for (const m of matches) {
    if (seen.has(m.kind.id)) continue;
    seen.add(m.kind.id);
    const article = /^[aeiou]/i.test(m.kind.label) ? "an" : "a";
    parts2.push(NO_PREVIEW.has(m.kind.id) ? `${article} ${m.kind.label}` : `${article} ${m.kind.label} (${maskSecret(m.text)})`);
  }
  return parts2.join(" and ");
}
var secret_in_env_default = defineRule({
  meta: {
    id: "secret-in-env",
    aliases: ["SecretsUsedInArgOrEnv", "DS-0031"],
    severity: "error",
    title: "Secrets in ENV, ARG or LABEL",
    description: [
      "Everything set with `ENV` or `LABEL` is stored in the image config, and `ARG` values (defaults and `--build-arg` values) are recorded in the image history: anyone who can pull the image can read them with `docker inspect` or `docker history`, and they stay in every copy of the image, forever. A secret written in the Dockerfile is also in your source control.",
      "",
      "The rule reports:",
      "",
      "- **by name**: an `ENV` whose name looks secret (`*_PASSWORD`, `*_TOKEN`, `API_KEY`, `*_SECRET`, `AUTH`, \u2026) and whose value is a literal (not empty, not built from variables like `$OTHER_VAR` or `Bearer ${TOKEN}`); every `ARG` with such a name, with or without a default, because build arguments end up in the image history;",
      "- **by value**: any `ENV`, `ARG` or `LABEL` value that contains a credential in a known provider format, whatever its name: AWS access key ids (`AKIA\u2026`), GitHub tokens (`ghp_`, `gho_`, `ghs_`, `github_pat_`), GitLab tokens (`glpat-`), Slack tokens (`xox?-`), Stripe live keys (`sk_live_`), PEM private keys, passwords embedded in URLs (`https://user:pass@host`) and JSON Web Tokens.",
      "",
      "Names that look secret but hold public data pass: `GPG_KEY` fingerprints as in the official images, `*_PUBLIC_KEY`, `*_KEY_URL`, `*_KEY_ID`, `*_FILE` and `*_PATH` locations. Values that are flags (`true`, `false`, `yes`, `no`, `on`, `off`, `0`, `1`, \u2026), file paths (`/run/secrets/key`, `certs/server.key`), or URLs without a `user:password@` part (`AUTH_SERVER_URL=https://auth.example.com`) are not treated as secrets by name either; a password inside a URL is still caught by value.",
      "",
      "Messages never show the secret: at most the public prefix of a token format, masked (`ghp_****`).",
      "",
      "Instead, mount the secret for the one step that needs it: `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci` with `docker build --secret id=npm_token,env=NPM_TOKEN`, and pass runtime secrets when the container starts (`docker run -e`, Docker/Kubernetes secrets). If a real credential was committed, rotate it: removing the line does not remove it from pushed images or history."
    ].join("\n"),
    bad: 'FROM node:22-alpine\nARG NPM_TOKEN\nENV DB_PASSWORD=hunter2-hunter2\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci',
    good: 'FROM node:22-alpine\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\\n    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc\n# DB_PASSWORD is passed at run time: docker run -e DB_PASSWORD ...',
    tags: ["security", "cis:4.10"]
  },
  defaultOptions: {},
  check({ model, report }) {
    const at = (instr, p) => instr.lineAt(instr.restOffset + p.offset);
    for (const instr of model.instructions) {
      const kw = instr.keyword;
      if (kw !== "ENV" && kw !== "ARG" && kw !== "LABEL") continue;
      for (const p of instr.pairs) {
        const id = secretId(p.key);
        const mount = `RUN --mount=type=secret,id=${id}`;
        const matches = p.value === void 0 ? [] : findSecretValues(p.value);
        if (matches.length > 0) {
          const what = describe2(matches);
          const message = kw === "LABEL" ? `LABEL ${p.key} holds ${what}; remove it from the label (labels are readable by anyone who can pull the image) and rotate the credential` : `${kw} ${p.key} holds ${what}; pass it at build time with ${mount} instead of baking it into the image`;
          report({ line: at(instr, p), message });
          continue;
        }
        if (kw === "LABEL" || !isSecretName(p.key)) continue;
        if (kw === "ENV") {
          if (p.value === void 0 || isIndirectValue(p.value) || HAS_VARIABLE_RE.test(p.value) || isNotASecretValue(p.value)) continue;
          report({
            line: at(instr, p),
            message: `ENV ${p.key} sets a secret to a literal value that is stored in the image config; pass it at build time with ${mount}, or at run time (docker run -e, an orchestrator secret), instead of baking it into the image`
          });
          continue;
        }
        if (p.value !== void 0 && isNotASecretValue(p.value)) continue;
        const literal2 = p.value !== void 0 && !isIndirectValue(p.value);
        report({
          line: at(instr, p),
          message: literal2 ? `ARG ${p.key} has a literal default and, like any build argument, is recorded in the image history; use ${mount} (docker build --secret id=${id}) instead` : `ARG ${p.key} passes a secret as a build argument, which is recorded in the image history; use ${mount} (docker build --secret id=${id}) instead`
        });
      }
    }
  }
});

// src/core/rules/shell-pipefail.ts
function enablesPipefail(args2, on = false) {
  for (let k = 0; k < args2.length; k++) {
    const arg = args2[k];
    if (/^[-+][a-zA-Z]*o$/.test(arg) && args2[k + 1] === "pipefail") {
      on = arg.startsWith("-");
      k++;
    } else if (arg === "-opipefail") {
      on = true;
    }
  }
  return on;
}
function firstPiped(script) {
  return script.commands.find((c) => c.pipeline !== void 0);
}
var shell_pipefail_default = defineRule({
  meta: {
    id: "shell-pipefail",
    aliases: ["DL4006"],
    severity: "warning",
    title: "Set -o pipefail before RUN with a pipe",
    description: [
      "A pipeline's exit status is that of its last command. In `RUN curl -fsSL https://example.com/key | gpg --dearmor -o /usr/share/keyrings/example.gpg`, a failed download still lets the step succeed (gpg happily writes an empty keyring) and the build carries on with a broken image.",
      "",
      "Make the shell fail when any command of a pipeline fails:",
      "",
      '- once per stage, before the `RUN`s: `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` (on Alpine/BusyBox: `SHELL ["/bin/ash", "-eo", "pipefail", "-c"]`);',
      "- or inside the `RUN` itself, before the first pipe: `RUN set -o pipefail && curl \u2026 | gpg \u2026` (with a shell that supports it; Debian's `/bin/sh` is dash, which needs a recent version).",
      "",
      "The rule reports a shell-form `RUN` containing a pipe (`|`) when neither the `SHELL` in force (which stages inherit from the stage they build on) nor an earlier `set` in the same script enables `pipefail`. Exec-form `RUN`s and stages whose `SHELL` is not a POSIX shell (PowerShell, cmd) are not checked."
    ].join("\n"),
    bad: "FROM debian:12-slim\nRUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg",
    good: 'FROM debian:12-slim\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg',
    tags: ["reliability", "best-practice"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const instr of model.instructions) {
      if (instr.keyword !== "RUN") continue;
      const script = model.shellOf(instr);
      if (!script || script.pipelines === 0) continue;
      const shell = model.shellFor(instr);
      if (shell && enablesPipefail(shell.slice(1))) continue;
      const piped = firstPiped(script);
      const limit = piped ? piped.offset : Infinity;
      let pipefail = false;
      for (const c of script.commands) {
        if (c.offset >= limit) break;
        if (commandName(c) === "set") pipefail = enablesPipefail(c.args, pipefail);
      }
      if (pipefail) continue;
      const stage = stageOf(model, instr);
      const root = stage ? stageAncestry(model, stage).pop() : void 0;
      const image = root ? root.from.image?.raw ?? root.from.resolved : "";
      const prog = shell ? baseName(shell[0] ?? "") : "sh";
      let suggestion;
      if (shell && (prog === "bash" || prog === "zsh" || prog === "ksh" || prog === "ash")) {
        suggestion = `SHELL ${jsonArray([shell[0], "-o", "pipefail", ...shell.slice(1)])}`;
      } else if (/alpine|busybox/i.test(image)) {
        suggestion = 'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]';
      } else {
        suggestion = 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]';
      }
      report({
        line: piped?.line ?? instr.line,
        column: instr.column,
        message: `RUN with a pipe fails only if the last command fails: add ${suggestion} before this RUN, or start it with set -o pipefail &&`
      });
    }
  }
});

// src/core/rules/shellcheck.ts
var LEVEL = { error: "error", warning: "warning", info: "note", style: "note" };
var shellcheck_default = defineRule({
  meta: {
    id: "shellcheck",
    aliases: [],
    severity: "warning",
    title: "ShellCheck finding in a RUN script",
    description: "When `shellcheck` is on PATH (GitHub-hosted Ubuntu runners have it) and `lint.shellcheck` is `auto` (the default) or `on`, every shell-form RUN body is checked with ShellCheck in the dialect of the SHELL in force, with the ARG and ENV names of the Dockerfile declared. Findings carry the ShellCheck code as their rule id (`SC2086`), so `# hadolint ignore=SC2086` and `rules: { shellcheck: off }` both work. Severity follows ShellCheck (error, warning, info/style \u2192 note) unless the config sets one.",
    bad: "FROM alpine:3.20\nRUN cd /app; make",
    good: "FROM alpine:3.20\nWORKDIR /app\nRUN make",
    tags: ["correctness", "shell"]
  },
  defaultOptions: {},
  check({ model, external, report }) {
    const results = external.shellcheck;
    if (!results) return;
    for (const [index, comments] of results) {
      if (!model.instructions[index]) continue;
      for (const c of comments) {
        const id = `SC${c.code}`;
        report({
          line: c.line,
          endLine: c.endLine,
          column: c.column,
          message: `${id}: ${c.message}`,
          ruleId: id,
          aliases: ["shellcheck"],
          help: `https://www.shellcheck.net/wiki/${id}`,
          severity: LEVEL[c.level] ?? "warning"
        });
      }
    }
  }
});

// src/core/rules/stage-name-casing.ts
function lineFix(lines, line, endLine, edits) {
  if (line !== endLine || edits.length === 0) return void 0;
  let text = lines[line - 1];
  if (text === void 0) return void 0;
  for (const e of [...edits].sort((a, b) => b.pos.column - a.pos.column)) {
    if (e.pos.line !== line) return void 0;
    const at = e.pos.column - 1;
    if (text.slice(at, at + e.from.length) !== e.from) return void 0;
    text = text.slice(0, at) + e.to + text.slice(at + e.from.length);
  }
  return { line, endLine, replacement: text, description: "Fix the casing of AS and the stage name" };
}
var stage_name_casing_default = defineRule({
  meta: {
    id: "stage-name-casing",
    aliases: ["FromAsCasing", "StageNameCasing"],
    severity: "note",
    title: "Write AS in the same case as FROM, and stage names in lower case",
    description: [
      "Dockerfile keywords are case-insensitive, but mixing styles (`FROM debian:12 as builder`) hurts readability and is flagged by BuildKit's `FromAsCasing` check: write `AS` in upper case after an upper-case `FROM`, and `as` in lower case after a lower-case `from`. A mixed-case keyword such as `From` is not checked.",
      "",
      "Stage names are case-insensitive too: BuildKit lower-cases them, so `AS Builder` and `--from=builder` name the same stage. BuildKit's `StageNameCasing` check asks for lower-case names so that the name you read is the name the builder uses; write `AS builder`."
    ].join("\n"),
    bad: "FROM golang:1.23 as Builder",
    good: "FROM golang:1.23 AS builder",
    tags: ["style", "maintainability"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const stage of model.stages) {
      const instr = stage.instruction;
      const k = asWordIndex(instr);
      if (k < 0) continue;
      const asWord = instr.words[k].value;
      const nameWord = instr.words[k + 1]?.value;
      const keyword = keywordAsWritten(model, instr);
      const upper = keyword === keyword.toUpperCase();
      const lower = keyword === keyword.toLowerCase();
      const wantAs = upper ? "AS" : lower ? "as" : asWord;
      const asPos = wordPosition(instr, k);
      const namePos = wordPosition(instr, k + 1);
      const edits = [];
      const asBad = asWord !== wantAs;
      const nameBad = nameWord !== void 0 && !nameWord.includes("$") && nameWord !== nameWord.toLowerCase();
      if (asBad) edits.push({ pos: asPos, from: asWord, to: wantAs });
      if (nameBad) edits.push({ pos: namePos, from: nameWord, to: nameWord.toLowerCase() });
      const fix = lineFix(model.lines, instr.line, instr.endLine, edits);
      if (asBad) {
        report({
          line: asPos.line,
          column: asPos.column,
          message: `'${asWord}' and '${keyword}' keywords' casing do not match; write ${keyword} \u2026 ${wantAs} ${nameWord === void 0 ? "<name>" : nameBad ? nameWord.toLowerCase() : nameWord}`,
          fix
        });
      }
      if (nameBad) {
        report({
          line: namePos.line,
          column: namePos.column,
          message: `Stage name "${nameWord}" should be lower case (stage names are case-insensitive and BuildKit lower-cases them); write ${wantAs} ${nameWord.toLowerCase()}`,
          fix
        });
      }
    }
  }
});

// src/core/rules/sudo.ts
var basename2 = (p) => p.split("/").pop() ?? p;
var sudo_default = defineRule({
  meta: {
    id: "sudo",
    aliases: ["DL3004", "DS-0010", "CKV2_DOCKER_1"],
    severity: "error",
    title: "Do not use sudo in RUN",
    description: [
      "`sudo` in a `RUN` step means the step runs as a non-root user that may escalate: it needs the `sudo` package and a sudoers entry in the image, which any process in the container can then use to become root, and its TTY and environment handling cause unpredictable builds.",
      "",
      "Instead, switch users with the `USER` instruction: `USER root` before the steps that need root, then `USER app` again afterwards, so the image ends as the unprivileged user. To drop privileges at run time (in an entrypoint), use `gosu` or `su-exec`, not `sudo`.",
      "",
      'Reported for every command run through `sudo` in a shell-form `RUN` (also `env sudo \u2026`, `sudo -u x \u2026`) and for exec-form `RUN ["sudo", \u2026]`.'
    ].join("\n"),
    bad: "FROM node:22\nUSER node\nRUN sudo apt-get update && sudo apt-get install -y --no-install-recommends curl",
    good: "FROM node:22\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER node",
    tags: ["security"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { cmd } of runCommands(model)) {
      const viaSudo = cmd.wrappers.includes("sudo") || cmd.program === "sudo";
      if (!viaSudo) continue;
      const what = cmd.program === "sudo" ? "sudo" : `sudo ${cmd.name}`;
      report({
        line: cmd.line,
        message: `RUN uses ${what}: put USER root before this step (and USER <app user> after it) instead of sudo`
      });
    }
    for (const instr of model.instructions) {
      if (instr.keyword !== "RUN" || !instr.json || instr.json.length === 0) continue;
      if (basename2(instr.json[0]) !== "sudo") continue;
      report({
        line: instr.line,
        column: instr.column,
        message: "RUN uses sudo: put USER root before this step (and USER <app user> after it) instead of sudo"
      });
    }
  }
});

// src/core/rules/tls-verification-disabled.ts
var FALSY = /^(false|0|no|off)$/i;
var ENV_CHECKS = {
  PYTHONHTTPSVERIFY: {
    disables: (v) => v.trim() === "0",
    why: "makes Python skip HTTPS certificate checks",
    instead: "remove it and add the CA certificate to the trust store (update-ca-certificates) or set SSL_CERT_FILE"
  },
  NODE_TLS_REJECT_UNAUTHORIZED: {
    disables: (v) => v.trim() === "0",
    why: "makes Node.js accept any TLS certificate",
    instead: "remove it and point NODE_EXTRA_CA_CERTS at your CA certificate"
  },
  NPM_CONFIG_STRICT_SSL: {
    disables: (v) => FALSY.test(v.trim()),
    why: "makes npm accept any registry certificate",
    instead: "remove it and set NPM_CONFIG_CAFILE (npm config set cafile) to your CA certificate"
  },
  GIT_SSL_NO_VERIFY: {
    // Git disables verification when the variable is set at all, whatever its value.
    disables: () => true,
    why: 'makes Git skip HTTPS certificate checks (any value, even "false", disables them)',
    instead: "remove it and set GIT_SSL_CAINFO (git config http.sslCAInfo) to your CA certificate"
  },
  PIP_TRUSTED_HOST: {
    disables: (v) => v.trim() !== "",
    why: "makes pip skip certificate checks for those hosts",
    instead: "remove it and set PIP_CERT (pip --cert) to your CA bundle"
  }
};
function envCheck(key) {
  if (/^npm_config_strict_ssl$/i.test(key)) return ENV_CHECKS.NPM_CONFIG_STRICT_SSL;
  return Object.prototype.hasOwnProperty.call(ENV_CHECKS, key) ? ENV_CHECKS[key] : void 0;
}
var CURL_VALUE_SHORT = new Set("ABbCcDdEeFHhKmoPQrTtUuwXxYyz".split(""));
var CURL_VALUE_LONG = /* @__PURE__ */ new Set([
  "--header",
  "--output",
  "--data",
  "--data-raw",
  "--data-binary",
  "--data-urlencode",
  "--user",
  "--user-agent",
  "--url",
  "--cacert",
  "--capath",
  "--cert",
  "--key",
  "--proxy",
  "--request",
  "--write-out",
  "--connect-timeout",
  "--max-time",
  "--retry",
  "--retry-delay",
  "--retry-max-time",
  "--config",
  "--form",
  "--referer",
  "--cookie",
  "--cookie-jar",
  "--range",
  "--resolve",
  "--upload-file",
  "--output-dir",
  "--netrc-file",
  "--limit-rate",
  "--speed-limit",
  "--speed-time"
]);
function curlInsecure(args2) {
  for (let k = 0; k < args2.length; k++) {
    const arg = args2[k];
    if (arg === "--insecure" || arg === "--proxy-insecure" || arg === "--doh-insecure") return arg;
    if (CURL_VALUE_LONG.has(arg)) {
      k++;
      continue;
    }
    const f = shortFlags(arg);
    for (let i2 = 0; i2 < f.length; i2++) {
      const ch = f[i2];
      if (ch === "k") return arg === "-k" ? "-k" : `-k (in ${arg})`;
      if (CURL_VALUE_SHORT.has(ch)) {
        if (i2 === f.length - 1) k++;
        break;
      }
    }
  }
  return void 0;
}
function wgetInsecure(args2) {
  for (let k = 0; k < args2.length; k++) {
    const arg = args2[k];
    if (arg === "--no-check-certificate") return arg;
    if (/^--check-certificate=(off|no|0|false|quiet)$/i.test(arg)) return arg;
    const cmd = arg === "-e" || arg === "--execute" ? args2[k + 1] : /^--execute=/.test(arg) ? arg.slice(10) : /^-e./.test(arg) ? arg.slice(2) : void 0;
    if (cmd && /^check[-_]?certificate\s*=\s*(off|no|0|false)$/i.test(cmd.trim())) return `-e ${cmd}`;
  }
  return void 0;
}
var PIP_LIKE = /^(pip[0-9.]*|python[0-9.]*|pipenv|pip-compile|pip-sync|pipx|uv)$/;
function pipTrustedHost(cmd) {
  const a = cmd.args;
  for (let k = 0; k < a.length; k++) {
    const arg = a[k];
    if (arg === "--trusted-host" || arg.startsWith("--trusted-host=")) return "--trusted-host";
    if (arg === "--allow-insecure-host" || arg.startsWith("--allow-insecure-host=")) return "--allow-insecure-host";
    if (arg === "set" && a[k - 1] === "config" && /(^|\.)trusted-host$/.test(a[k + 1] ?? "")) return `config set ${a[k + 1]}`;
  }
  return void 0;
}
function npmStrictSslOff(cmd) {
  const a = cmd.args;
  for (let k = 0; k < a.length; k++) {
    const arg = a[k];
    const key = arg.replace(/^--/, "");
    const isKey = /^(strict-ssl|strict_ssl|enableStrictSsl)$/i.test(key.split("=")[0]);
    if (!isKey) continue;
    const eq = key.indexOf("=");
    const value = eq >= 0 ? key.slice(eq + 1) : a[k + 1];
    if (value !== void 0 && FALSY.test(value)) return eq >= 0 ? arg : `${arg} ${value}`;
  }
  return void 0;
}
function gitSslVerifyOff(args2) {
  const isKey = (k) => /^http\.(.+\.)?sslverify$/i.test(k);
  for (let k = 0; k < args2.length; k++) {
    const arg = args2[k];
    if (arg === "-c") {
      const kv = args2[k + 1] ?? "";
      const eq = kv.indexOf("=");
      if (eq > 0 && isKey(kv.slice(0, eq)) && FALSY.test(kv.slice(eq + 1))) return `-c ${kv}`;
      k++;
      continue;
    }
    if (isKey(arg) && args2[k + 1] !== void 0 && FALSY.test(args2[k + 1]) && args2.includes("config")) return `config ${arg} ${args2[k + 1]}`;
  }
  return void 0;
}
function aptVerifyOff(args2) {
  for (let k = 0; k < args2.length; k++) {
    const opt = args2[k] === "-o" || args2[k] === "--option" ? args2[k + 1] : /^-o./.test(args2[k]) ? args2[k].slice(2) : void 0;
    if (opt && /^Acquire::https::(.+::)?Verify-(Peer|Host)=(false|0|no|off)$/i.test(opt)) return `-o ${opt}`;
  }
  return void 0;
}
var CA_ADVICE = "install the CA certificate instead (COPY ca.crt /usr/local/share/ca-certificates/ && RUN update-ca-certificates)";
var tls_verification_disabled_default = defineRule({
  meta: {
    id: "tls-verification-disabled",
    aliases: [
      "CKV2_DOCKER_2",
      "CKV2_DOCKER_3",
      "CKV2_DOCKER_4",
      "CKV2_DOCKER_5",
      "CKV2_DOCKER_6",
      "CKV2_DOCKER_12",
      "CKV2_DOCKER_13",
      "CKV2_DOCKER_14",
      "CKV2_DOCKER_16"
    ],
    severity: "error",
    title: "TLS certificate verification is disabled",
    description: [
      "Turning off certificate verification lets anyone on the network path (a proxy, a compromised mirror, a hostile Wi-Fi on a CI runner) swap the packages, scripts and binaries the build downloads. When set with `ENV`, the setting also stays in the image and weakens every TLS connection the application makes at run time.",
      "",
      "Reported in `RUN` commands:",
      "",
      "- `curl -k` / `--insecure` (also inside option clusters like `-fsSLk`), `wget --no-check-certificate`;",
      "- `pip install --trusted-host \u2026`, `pip config set global.trusted-host \u2026`, `uv --allow-insecure-host`;",
      "- `npm config set strict-ssl false`, `npm set strict-ssl=false`, `yarn config set strict-ssl false`, `--strict-ssl=false`;",
      "- `git config http.sslVerify false`, `git -c http.sslVerify=false \u2026`;",
      "- `apt-get -o Acquire::https::Verify-Peer=false`;",
      "- variables set for a command (`GIT_SSL_NO_VERIFY=1 git clone \u2026`).",
      "",
      "And in `ENV` / `ARG` (an `ARG` with a value is in the environment of later `RUN`s): `PYTHONHTTPSVERIFY=0`, `NODE_TLS_REJECT_UNAUTHORIZED=0`, `NPM_CONFIG_STRICT_SSL=false`, `GIT_SSL_NO_VERIFY` (any value disables verification), `PIP_TRUSTED_HOST`.",
      "",
      "If a corporate proxy or private registry uses its own CA, trust that CA instead: `COPY corp-ca.crt /usr/local/share/ca-certificates/` then `RUN update-ca-certificates`, or point the tool at it (`curl --cacert`, `pip --cert` / `PIP_CERT`, `npm config set cafile`, `NODE_EXTRA_CA_CERTS`, `git config http.sslCAInfo`). Ideally mount it only for the build with `RUN --mount=type=secret`."
    ].join("\n"),
    bad: "FROM python:3.12-slim\nENV PIP_TRUSTED_HOST=pypi.internal\nRUN curl -k -o /tmp/app.tgz https://downloads.internal/app.tgz",
    good: "FROM python:3.12-slim\nCOPY corp-ca.crt /usr/local/share/ca-certificates/\nRUN update-ca-certificates\nENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt\nRUN curl -fsSLo /tmp/app.tgz https://downloads.internal/app.tgz",
    tags: ["security"]
  },
  defaultOptions: {},
  check({ model, report }) {
    const reportEnv = (line, key, value, where) => {
      const c = envCheck(key);
      if (!c || !c.disables(value)) return;
      report({ line, message: `${where}${key}=${value} ${c.why}: ${c.instead}` });
    };
    for (const instr of model.instructions) {
      if (instr.keyword !== "ENV" && instr.keyword !== "ARG") continue;
      for (const p of instr.pairs) {
        if (p.value === void 0) continue;
        reportEnv(instr.lineAt(instr.restOffset + p.offset), p.key, p.value, `${instr.keyword} `);
      }
    }
    for (const { cmd } of runCommandsDeep(model)) {
      for (const a of cmd.assignments) {
        const eq = a.indexOf("=");
        if (eq <= 0) continue;
        const value = a.slice(eq + 1).replace(/^(["'])(.*)\1$/, "$2");
        reportEnv(cmd.line, a.slice(0, eq), value, "");
      }
      const name2 = commandName(cmd);
      let hit;
      let instead = CA_ADVICE;
      if (name2 === "curl") {
        hit = curlInsecure(cmd.args);
        instead = `remove it and trust the server's CA (curl --cacert ca.crt, or ${CA_ADVICE})`;
      } else if (name2 === "wget") {
        hit = wgetInsecure(cmd.args);
        instead = `remove it and trust the server's CA (wget --ca-certificate=ca.crt, or ${CA_ADVICE})`;
      } else if (PIP_LIKE.test(name2)) {
        hit = pipTrustedHost(cmd);
        instead = `remove it and give pip the CA bundle (pip --cert ca.pem / PIP_CERT), or ${CA_ADVICE}`;
      } else if (name2 === "npm" || name2 === "yarn" || name2 === "pnpm") {
        hit = npmStrictSslOff(cmd);
        instead = `keep strict-ssl on and set the CA (${name2} config set cafile /path/ca.pem, or NODE_EXTRA_CA_CERTS)`;
      } else if (name2 === "git") {
        hit = gitSslVerifyOff(cmd.args);
        instead = `keep verification on and set the CA (git config --global http.sslCAInfo /path/ca.pem), or ${CA_ADVICE}`;
      } else if (name2 === "apt-get" || name2 === "apt") {
        hit = aptVerifyOff(cmd.args);
        instead = `remove it and ${CA_ADVICE}`;
      }
      if (hit) report({ line: cmd.line, message: `${name2} ${hit} disables TLS certificate verification: ${instead}` });
    }
  }
});

// src/core/rules/trusted-registries.ts
function list(globs) {
  const shown = globs.slice(0, 5).join(", ");
  return globs.length > 5 ? `${shown}, \u2026` : shown;
}
var trusted_registries_default = defineRule({
  meta: {
    id: "trusted-registries",
    aliases: ["DL3026"],
    severity: "error",
    enabledByDefault: false,
    title: "Use images only from trusted registries",
    description: [
      "Every image a build pulls runs code in your build and usually ships in your product. Organisations often mirror or vet images in a small set of registries (an internal registry, a pull-through cache, `ghcr.io/<org>`), and an image pulled from anywhere else bypasses that review, scanning and availability guarantee.",
      "",
      "This rule reports `FROM`, `COPY --from=<image>` and `RUN --mount=\u2026,from=<image>` images whose registry is not in the `registries` option. Use an image from an allowed registry (mirror it there if needed), or add the registry to the list if it is trusted. Stage names, stage indexes and `scratch` are not images and are never reported. Docker Hub is `docker.io` (an image without a registry part, such as `nginx`, comes from `docker.io`).",
      "",
      "The rule is off by default and does nothing until `registries` is set."
    ].join("\n"),
    bad: "# registries: [registry.acme.internal]\nFROM docker.io/library/node:22",
    good: "# registries: [registry.acme.internal]\nFROM registry.acme.internal/mirror/node:22",
    tags: ["security", "supply-chain"],
    optionsSchema: {
      type: "object",
      properties: {
        registries: { type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true }
      }
    },
    optionsDoc: [
      "- `registries` (array of globs, default `[]`): the allowed registries or images. Each glob (minimatch) is matched against the image's registry (`docker.io`, `ghcr.io`, `registry.acme.internal:5000`) and against `registry/repository` (`docker.io/library/nginx`, `ghcr.io/acme/api`); Docker Hub images also match their short name (`nginx`). `hub.docker.com` and `index.docker.io` mean `docker.io`. With an empty list the rule reports nothing.",
      "",
      "```yaml",
      "rules:",
      "  trusted-registries:",
      "    enabled: true",
      "    options:",
      '      registries: ["registry.acme.internal", "ghcr.io/acme/**", "*.dkr.ecr.*.amazonaws.com"]',
      "```"
    ].join("\n")
  },
  defaultOptions: { registries: [] },
  check({ model, options, report }) {
    const allowed = Array.isArray(options.registries) ? options.registries.filter((g) => typeof g === "string" && g.trim() !== "") : [];
    if (allowed.length === 0) return;
    const judge2 = (ref, subject, pos2) => {
      if (globMatches([ref.registry, ...imageNames(ref)], allowed) !== void 0) return;
      report({
        line: pos2.line,
        column: pos2.column,
        message: `${subject} ${ref.raw.trim()} comes from ${ref.registry}, which is not a trusted registry (allowed: ${list(allowed)}); use an image from an allowed registry (mirror it there), or add ${ref.registry} to the registries option`
      });
    };
    for (const stage of model.stages) {
      const ref = stage.from.image;
      if (!ref || isTemplated(stage.from.text)) continue;
      judge2(ref, "Base image", wordPosition(stage.instruction, 0));
    }
    for (const src of fromSources(model)) {
      if (src.hasVariables && src.what === "COPY --from") continue;
      if (src.unresolved.length > 0 || isTemplated(src.resolved)) continue;
      const target = classifyFrom(model, src.resolved);
      if (target.kind !== "image" || !target.ref) continue;
      judge2(target.ref, sourceSubject(src), src.position);
    }
  }
});

// src/core/rules/unpinned-base-image.ts
var PLATFORM_SAMPLE = {
  TARGETPLATFORM: "linux/amd64",
  TARGETOS: "linux",
  TARGETARCH: "amd64",
  TARGETVARIANT: "",
  BUILDPLATFORM: "linux/amd64",
  BUILDOS: "linux",
  BUILDARCH: "amd64",
  BUILDVARIANT: ""
};
function unresolvedReason(model, name2, fromText) {
  const whole = new RegExp(`^\\$\\{?${name2}\\}?$`).test(fromText);
  const example = `ARG ${name2}=${whole ? "<image>:<version>" : "<value>"}`;
  const global = model.globalArgs.some((a) => a.pairs.some((p) => p.key === name2));
  if (global) return `cannot resolve ${name2} (no default and no build-arg); give the ARG a default, e.g. ${example}, or pass it with build-args`;
  const inStage = model.instructions.some((i2) => i2.stage >= 0 && i2.keyword === "ARG" && i2.pairs.some((p) => p.key === name2));
  if (inStage) return `cannot resolve ${name2}: FROM only sees ARGs declared before the first FROM; move ${example} above the first FROM`;
  return `cannot resolve ${name2} (it is not declared); add ${example} before the first FROM`;
}
function judge(report, ref, subject, via, digestGlobs) {
  if (ref.digest) return;
  const repo = repoText(ref);
  if (ref.tag === void 0) {
    report(`${subject} ${repo}${via} has no tag and floats to :latest; pin a version, e.g. ${repo}:<version> (or add @sha256:<digest>)`);
    return;
  }
  if (ref.tag === "latest") {
    report(`${subject} ${ref.raw.trim()}${via} uses the floating :latest tag; pin a version, e.g. ${repo}:<version> (or add @sha256:<digest>)`);
    return;
  }
  const glob = digestGlobs.length > 0 ? globMatches(imageNames(ref), digestGlobs) : void 0;
  if (glob !== void 0) {
    report(
      `${subject} ${ref.raw.trim()}${via} is not pinned by digest, which require-digest ("${glob}") demands for ${ref.registry}/${ref.repository}; add the digest, e.g. ${ref.raw.trim()}@sha256:<digest>`
    );
  }
}
function checkFrom(model, stage, digestGlobs, report) {
  const from = stage.from;
  if (from.stageRef !== void 0 || from.scratch) return;
  const instr = stage.instruction;
  const pos2 = wordPosition(instr, 0);
  const say = (m) => report(pos2, m);
  if (!from.text) {
    say("FROM has no image; write FROM <image>:<version> (or FROM scratch)");
    return;
  }
  if (isTemplated(from.text)) return;
  let resolved = from.resolved;
  let unresolved = from.unresolved;
  if (unresolved.length === 0 && from.invalid && resolved.includes("$")) unresolved = variableNames(resolved);
  const real = unresolved.filter((v) => !PLATFORM_ARGS.has(v));
  if (real.length > 0) {
    const names = [...new Set(real)];
    say(`FROM ${from.text}: ${names.map((n) => unresolvedReason(model, n, from.text)).join("; ")}`);
    return;
  }
  let ref = from.image;
  if (unresolved.length > 0) {
    resolved = substitute(resolved, (n) => PLATFORM_SAMPLE[n], model.escape).value;
    ref = parseImageRef(resolved);
    if (!ref) return;
    ref = { ...ref, raw: from.resolved };
  }
  const via = from.text !== from.resolved && unresolved.length === 0 ? ` (from ${from.text})` : "";
  if (!ref && resolved.trim() === "") {
    const v = variableNames(from.text)[0] ?? "BASE";
    say(`FROM ${from.text} resolves to an empty image name; give ${v} a value, e.g. ARG ${v}=<image>:<version>, or pass a non-empty build-arg`);
    return;
  }
  if (!ref) {
    say(
      `FROM ${from.text}${via ? ` resolves to "${resolved}", which` : ""} is not a valid image reference; write [registry/]repository[:tag][@sha256:<digest>] in lower case, e.g. nginx:1.27`
    );
    return;
  }
  judge(say, ref, "Base image", via, digestGlobs);
}
var unpinned_base_image_default = defineRule({
  meta: {
    id: "unpinned-base-image",
    aliases: ["DL3006", "DL3007", "DS-0001", "CKV_DOCKER_7"],
    severity: "warning",
    title: "Pin base images to a version (or digest)",
    description: [
      "An image without a tag (`FROM nginx`) means `:latest`, and `:latest` is whatever was pushed last: builds stop being reproducible, a rebuild can silently pull a new major version, and a compromised or broken upstream push lands in your image without review.",
      "",
      "Pin every external image to an explicit version tag (`nginx:1.27`), or better to a digest (`nginx:1.27@sha256:\u2026`), which cannot move at all; let a bot such as Renovate or Dependabot propose updates. An image pinned by digest passes even without a tag.",
      "",
      "The rule checks `FROM`, `COPY --from=<image>` and `RUN --mount=\u2026,from=<image>`. Stage names, stage indexes and `scratch` are exempt. ARG defaults and configured build-args are resolved before judging; a `FROM ${BASE}` whose variable has no value is reported with what to declare instead of being guessed. A `--from` value that is a bare word naming no stage is left to `copy-from-unknown-stage`, which reports it as a probable typo.",
      "",
      "With the `require-digest` option, matching images must also carry a digest."
    ].join("\n"),
    bad: "FROM node\nFROM nginx:latest\nCOPY --from=busybox:latest /bin/busybox /bin/",
    good: "FROM node:22.11-alpine\nFROM nginx:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000\nCOPY --from=busybox:1.37 /bin/busybox /bin/",
    tags: ["security", "supply-chain"],
    optionsSchema: {
      type: "object",
      properties: {
        "require-digest": { type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true }
      }
    },
    optionsDoc: [
      "- `require-digest` (array of globs, default `[]`): images whose name matches must be pinned by `@sha256:` digest, not just a tag.",
      "  Globs (minimatch) are matched against the normalized name `registry/repository` without tag, e.g. `docker.io/library/nginx`, `ghcr.io/acme/api`; Docker Hub images also match their short name (`nginx`, `acme/tool`). Use `**` for every image, `ghcr.io/acme/**` for one organisation.",
      "",
      "```yaml",
      "rules:",
      "  unpinned-base-image:",
      "    options:",
      '      require-digest: ["ghcr.io/acme/**", "docker.io/library/*"]',
      "```"
    ].join("\n")
  },
  defaultOptions: { "require-digest": [] },
  check({ model, options, report }) {
    const digestGlobs = Array.isArray(options["require-digest"]) ? options["require-digest"] : [];
    const at = (pos2, message) => report({ line: pos2.line, column: pos2.column, message });
    for (const stage of model.stages) checkFrom(model, stage, digestGlobs, at);
    for (const src of fromSources(model)) {
      if (src.hasVariables && src.what === "COPY --from") continue;
      if (src.unresolved.length > 0) continue;
      const value = src.resolved;
      if (isTemplated(value)) continue;
      const target = classifyFrom(model, value);
      if (target.kind !== "image") continue;
      if (!target.looksLikeImage) continue;
      const subject = sourceSubject(src);
      const via = value !== src.value ? ` (from ${src.value})` : "";
      const say = (m) => at(src.position, m);
      if (!target.ref) {
        say(
          `${describeSource(src)}${via ? ` resolves to "${value}", which` : ""} is neither a stage of this file nor a valid image reference; name an earlier stage or write an image as [registry/]repository:<version>`
        );
        continue;
      }
      judge(say, target.ref, subject, via, digestGlobs);
    }
  }
});

// src/core/rules/unused-suppression.ts
var unused_suppression_default = defineRule({
  meta: {
    id: "unused-suppression",
    aliases: [],
    severity: "note",
    enabledByDefault: false,
    title: "A suppression comment hides nothing",
    description: "An inline `# container-guard ignore=...` (or `# hadolint ignore=...`) names a rule that reported nothing where the comment applies. Stale suppressions hide future problems; remove them.",
    bad: "FROM alpine:3.20\n# container-guard ignore=sudo\nRUN echo hello",
    good: "FROM alpine:3.20\nRUN echo hello",
    tags: ["maintainability"]
  },
  defaultOptions: {},
  check() {
  }
});

// src/core/rules/update-alone.ts
var APT_INSTALLS = /* @__PURE__ */ new Set(["install", "reinstall", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source", "download", "satisfy", "safe-upgrade"]);
var APK_INSTALLS = /* @__PURE__ */ new Set(["add", "upgrade", "fix"]);
var RPM_INSTALLS = /* @__PURE__ */ new Set([
  "install",
  "in",
  "groupinstall",
  "localinstall",
  "reinstall",
  "update",
  "upgrade",
  "up",
  "distro-sync",
  "distrosync",
  "dsync",
  "downgrade",
  "builddep",
  "group",
  "groups",
  "module",
  "swap",
  "upgrade-minimal",
  "update-minimal"
]);
var ZYPPER_INSTALLS = /* @__PURE__ */ new Set(["install", "in", "update", "up", "dist-upgrade", "dup", "patch", "source-install", "si", "install-new-recommends", "inr"]);
var INDEX_DIRS = [
  ["apt", /^\/var\/lib\/apt(\/lists)?\/?(\*)?$/],
  ["apk", /^\/var\/cache\/apk\/?(\*)?$/],
  ["rpm", /^\/var\/cache\/(yum|dnf|libdnf5)\/?(\*)?$/],
  ["zypper", /^\/var\/cache\/zypp\/?(\*)?$/]
];
function classify2(cmd) {
  for (const [family, re] of INDEX_DIRS) if (removesPath(cmd, (p) => re.test(p))) return { family, kind: "discard", text: "rm" };
  const apt = aptCall(cmd, ["apt-get", "apt", "aptitude"]);
  if (apt?.sub) {
    if (apt.sub === "update") return { family: "apt", kind: "refresh", text: `${apt.program} update` };
    if (APT_INSTALLS.has(apt.sub)) return { family: "apt", kind: "install", text: `${apt.program} ${apt.sub}` };
    if (apt.sub === "dist-clean" || apt.sub === "distclean") return { family: "apt", kind: "discard", text: apt.sub };
    return void 0;
  }
  const apk = apkCall(cmd);
  if (apk?.sub) {
    if (apk.sub === "update") return { family: "apk", kind: "refresh", text: "apk update" };
    if (APK_INSTALLS.has(apk.sub)) return { family: "apk", kind: "install", text: `apk ${apk.sub}` };
    return void 0;
  }
  const yum = yumCall(cmd);
  if (yum?.sub) {
    if (yum.sub === "makecache") return { family: "rpm", kind: "refresh", text: `${yum.program} makecache` };
    if (RPM_INSTALLS.has(yum.sub)) return { family: "rpm", kind: "install", text: `${yum.program} ${yum.sub}` };
    if (yum.sub === "clean" && (yum.operands.includes("all") || yum.operands.includes("metadata")))
      return { family: "rpm", kind: "discard", text: `${yum.program} clean` };
    return void 0;
  }
  const zypper = zypperCall(cmd);
  if (zypper?.sub) {
    if (zypper.sub === "refresh" || zypper.sub === "ref") return { family: "zypper", kind: "refresh", text: `zypper ${zypper.sub}` };
    if (ZYPPER_INSTALLS.has(zypper.sub)) return { family: "zypper", kind: "install", text: `zypper ${zypper.sub}` };
    if (zypper.sub === "clean" || zypper.sub === "cc") return { family: "zypper", kind: "discard", text: "zypper clean" };
  }
  return void 0;
}
var FIX = {
  apt: (p) => p === "aptitude" ? "write `aptitude update && aptitude install -y ...` in one RUN" : "write `apt-get update && apt-get install -y ...` in one RUN",
  apk: () => "drop it and write `apk add --no-cache ...`, which fetches a fresh index itself",
  rpm: (p) => `drop it and write \`${p} install -y ...\`, which refreshes expired metadata itself`,
  zypper: () => "write `zypper refresh && zypper install -y ...` in one RUN"
};
var update_alone_default = defineRule({
  meta: {
    id: "update-alone",
    aliases: ["DS-0017", "CKV_DOCKER_5"],
    severity: "warning",
    title: "Package index update without an install in the same RUN",
    description: [
      "Docker caches every `RUN` by its text. A `RUN apt-get update` on its own is built once and then reused for months, so a later `RUN apt-get install -y curl` installs from that stale index: changed packages fail with 404s, or an old version (security fixes included) is installed without any warning. The same goes for `apk update`, `dnf`/`yum makecache` and `zypper refresh`.",
      "",
      "Refresh the index and install in the same `RUN`, so that changing the package list also refreshes the index:",
      "",
      "```dockerfile",
      "RUN apt-get update \\",
      " && apt-get install -y --no-install-recommends curl \\",
      " && rm -rf /var/lib/apt/lists/*",
      "```",
      "",
      "The rule reports a refresh (`apt-get`/`apt`/`aptitude update`, `apk update`, `yum`/`dnf`/`microdnf makecache`, `zypper refresh`) that no install, upgrade or `add` of the same package manager follows in its `RUN`, unless the `RUN` deletes the index again (`rm -rf /var/lib/apt/lists/*`, `apt-get dist-clean`, `rm -rf /var/cache/apk/*`, `dnf clean all`, `zypper clean`). `apk add --no-cache` and `dnf install` fetch fresh metadata themselves and need no separate refresh. `yum update` upgrades packages and is not a refresh."
    ].join("\n"),
    bad: "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl",
    good: "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*",
    tags: ["best-practice", "reliability"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { commands } of runInfos(model)) {
      const pending = /* @__PURE__ */ new Map();
      for (const cmd of commands) {
        const step = classify2(cmd);
        if (!step) continue;
        if (step.kind === "refresh") pending.set(step.family, { cmd, step });
        else pending.delete(step.family);
      }
      for (const { cmd, step } of [...pending.values()].sort((a, b) => a.cmd.line - b.cmd.line)) {
        report({
          line: cmd.line,
          message: `\`${step.text}\` is not followed by an install in the same RUN, so later RUNs install from a stale cached index: ${FIX[step.family](step.text.split(" ")[0])}`
        });
      }
    }
  }
});

// src/core/rules/useradd-high-uid.ts
var SHORT_WITH_VALUE = /* @__PURE__ */ new Set(["b", "c", "d", "e", "f", "g", "G", "k", "K", "p", "R", "P", "s", "u", "Z"]);
var LONG_WITH_VALUE = /* @__PURE__ */ new Set([
  "base-dir",
  "comment",
  "home-dir",
  "expiredate",
  "inactive",
  "gid",
  "groups",
  "skel",
  "key",
  "password",
  "root",
  "prefix",
  "shell",
  "uid",
  "selinux-user",
  "selinux-range"
]);
function parseUseradd(args2) {
  const uids = [];
  let noLogInit = false;
  for (let i2 = 0; i2 < args2.length; i2++) {
    const a = args2[i2];
    if (a === "--") break;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name2 = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (name2 === "no-log-init") noLogInit = true;
      if (!LONG_WITH_VALUE.has(name2)) continue;
      const value = eq < 0 ? args2[++i2] : a.slice(eq + 1);
      if (name2 === "uid" && value !== void 0) uids.push(value);
      continue;
    }
    if (!a.startsWith("-") || a.length < 2) continue;
    for (let k = 1; k < a.length; k++) {
      const c = a[k];
      if (c === "l") noLogInit = true;
      if (!SHORT_WITH_VALUE.has(c)) continue;
      const value = k + 1 < a.length ? a.slice(k + 1) : args2[++i2];
      if (c === "u" && value !== void 0) uids.push(value);
      break;
    }
  }
  return { uids, noLogInit };
}
function uidValue(instr, text) {
  const sub = instr.resolve(text);
  if (sub.unresolved.length > 0) return void 0;
  const v = sub.value.trim().replace(/^(["'])(.*)\1$/, "$2");
  return /^\d+$/.test(v) ? Number(v) : void 0;
}
var useradd_high_uid_default = defineRule({
  meta: {
    id: "useradd-high-uid",
    aliases: ["DL3046"],
    severity: "warning",
    title: "useradd with a high UID needs -l (--no-log-init)",
    description: [
      "`useradd` records the new user in `/var/log/lastlog` and `/var/log/faillog`, files indexed by UID: a user with UID 1000000 makes `lastlog` a ~290 MB sparse file. Sparse files are stored in full in image layers, so the image grows by hundreds of megabytes of zeros (and the build can be very slow).",
      "",
      "Instead, pass `-l` (`--no-log-init`) so `useradd` does not touch those files, or use a UID up to `max-uid`: `RUN useradd -l -u 1000000 app`.",
      "",
      "The UID may come from an `ARG`/`ENV` (`-u $UID`); it is resolved when it has a value, and not reported when it has none."
    ].join("\n"),
    bad: "FROM debian:12\nRUN useradd -u 1000001 -m app",
    good: "FROM debian:12\nRUN useradd -l -u 1000001 -m app",
    tags: ["best-practice", "image-size"],
    optionsSchema: {
      type: "object",
      properties: { "max-uid": { type: "integer", minimum: 0 } },
      additionalProperties: false
    },
    optionsDoc: "- `max-uid` (integer, default `65535`): the highest UID `useradd` may create without `-l`. At 65535 `lastlog` is already about 19 MB of zeros; raise it to `99999` to match hadolint, which only reports UIDs of six digits or more."
  },
  defaultOptions: { "max-uid": 65535 },
  check({ model, options, report }) {
    const max = typeof options["max-uid"] === "number" ? options["max-uid"] : 65535;
    for (const { instr, cmd } of runCommands(model)) {
      if (cmd.program !== "useradd") continue;
      const flags2 = parseUseradd(cmd.args);
      if (flags2.noLogInit) continue;
      for (const text of flags2.uids) {
        const uid = uidValue(instr, text);
        if (uid === void 0 || uid <= max) continue;
        const shown = text === String(uid) ? text : `${text} (= ${uid})`;
        const line = model.lines[cmd.line - 1] ?? "";
        const occurrences = line.match(/\buseradd\b/g)?.length ?? 0;
        report({
          line: cmd.line,
          message: `useradd -u ${shown} without -l makes /var/log/lastlog and faillog sparse files of ~${Math.max(1, Math.round(uid * 292 / 1048576))} MB that the layer stores in full: use useradd -l (--no-log-init), or a UID of at most ${max}`,
          fix: occurrences === 1 ? { line: cmd.line, endLine: cmd.line, replacement: line.replace(/\buseradd\b/, "useradd -l"), description: "add -l (--no-log-init)" } : void 0
        });
        break;
      }
    }
  }
});

// src/core/rules/wget-and-curl.ts
var TOOLS = /* @__PURE__ */ new Set(["curl", "wget"]);
var wget_and_curl_default = defineRule({
  meta: {
    id: "wget-and-curl",
    aliases: ["DL4001", "DS-0014"],
    severity: "note",
    title: "Both wget and curl are used",
    description: [
      "`wget` and `curl` do the same job here. Using both means installing (and patching, and scanning) two download tools, and two sets of flags to get right for TLS, retries and failure handling.",
      "",
      "Pick one and use it throughout the Dockerfile: `curl -fsSLo file URL` or `wget -qO file URL`. On Alpine, BusyBox already provides `wget`; on Debian-based images `curl` is often already present.",
      "",
      "The rule looks at the commands run by every `RUN` in the file (installing both packages is not reported by itself) and reports once, at the first use of whichever tool appears second."
    ].join("\n"),
    bad: "FROM debian:12-slim\nRUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz\nRUN wget -qO /tmp/b.tgz https://example.com/b.tgz",
    good: "FROM debian:12-slim\nRUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz\nRUN curl -fsSLo /tmp/b.tgz https://example.com/b.tgz",
    tags: ["maintainability", "image-size"]
  },
  defaultOptions: {},
  check({ model, report }) {
    const first = /* @__PURE__ */ new Map();
    for (const { cmd } of runCommandsDeep(model)) {
      const name2 = commandName(cmd);
      if (!TOOLS.has(name2) || first.has(name2)) continue;
      first.set(name2, cmd.line);
      if (first.size === 2) {
        const other = name2 === "curl" ? "wget" : "curl";
        report({
          line: cmd.line,
          message: `${name2} is used here but ${other} is already used at line ${first.get(other)}: use only ${other} (or only ${name2}) throughout the Dockerfile`
        });
        return;
      }
    }
  }
});

// src/core/rules/workdir-relative.ts
import path2 from "node:path";
function isAbsoluteOrVariable(p) {
  return /^[/\\$]/.test(p) || /^[A-Za-z]:([\\/]|$)/.test(p);
}
var workdir_relative_default = defineRule({
  meta: {
    id: "workdir-relative",
    aliases: ["DL3000", "DS-0009", "CKV_DOCKER_10", "WorkdirRelativePath"],
    severity: "error",
    title: "WORKDIR should be an absolute path",
    description: [
      "A relative `WORKDIR` is resolved against the previous `WORKDIR`, which may come from the base image and change when the base image changes. The directory the following instructions run in then depends on something the Dockerfile does not show.",
      "",
      "Write an absolute path: `WORKDIR /app`, or `WORKDIR /app/src` instead of `WORKDIR src` after `WORKDIR /app`. When an earlier absolute `WORKDIR` of the stage (or of the stage it builds on) is known, the message names the equivalent absolute path.",
      "",
      "Paths starting with a variable (`WORKDIR $HOME/app`, `WORKDIR ${APP_DIR}`) and Windows paths (`C:\\app`, `c:/app`, `\\app`) are accepted."
    ].join("\n"),
    bad: "FROM node:22-alpine\nWORKDIR app",
    good: "FROM node:22-alpine\nWORKDIR /app",
    tags: ["best-practice", "reliability"]
  },
  defaultOptions: {},
  check({ model, report }) {
    const current = /* @__PURE__ */ new Map();
    const known = (stageIndex) => {
      const stage = model.stages[stageIndex];
      if (!stage) return void 0;
      for (const s of stageAncestry(model, stage)) if (current.has(s.index)) return current.get(s.index);
      return void 0;
    };
    for (const instr of model.instructions) {
      if (instr.keyword !== "WORKDIR") continue;
      const dir = instr.words.map((w) => w.value).join(" ");
      if (dir === "") continue;
      const stage = stageOf(model, instr);
      const prev = stage ? known(stage.index) : void 0;
      if (isAbsoluteOrVariable(dir)) {
        const resolved = instr.resolve(dir);
        if (stage)
          current.set(stage.index, resolved.unresolved.length === 0 && resolved.value.startsWith("/") ? path2.posix.normalize(resolved.value) : void 0);
        continue;
      }
      if (dir.startsWith("~")) {
        if (stage) current.set(stage.index, void 0);
        report({
          line: instr.line,
          column: instr.column,
          message: `WORKDIR ${dir}: Docker does not expand ~, this is a directory named "~" under the previous WORKDIR; write the absolute path, e.g. WORKDIR /home/<user>${dir.slice(1)}`
        });
        continue;
      }
      const abs = prev ? path2.posix.join(prev, dir) : void 0;
      if (stage) current.set(stage.index, abs);
      report({
        line: instr.line,
        column: instr.column,
        message: abs ? `WORKDIR ${dir} is relative to the previous WORKDIR: write WORKDIR ${abs}` : `WORKDIR ${dir} is relative to the base image's working directory: write an absolute path such as WORKDIR ${path2.posix.join("/", dir)}`
      });
    }
  }
});

// src/core/rules/yum-clean.ts
var INSTALLS = /* @__PURE__ */ new Set([
  "install",
  "in",
  "groupinstall",
  "localinstall",
  "reinstall",
  "rei",
  "update",
  "upgrade",
  "up",
  "update-minimal",
  "upgrade-minimal",
  "up-min",
  "downgrade",
  "dg",
  "distro-sync",
  "distrosync",
  "dsync",
  "swap",
  "builddep",
  "groupupdate"
]);
var NESTED = {
  group: /* @__PURE__ */ new Set(["install", "upgrade", "update"]),
  groups: /* @__PURE__ */ new Set(["install", "upgrade", "update"]),
  module: /* @__PURE__ */ new Set(["install", "update", "upgrade", "switch-to"])
};
var CACHE_DIRS = ["/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/tdnf"];
var CACHE_RE = /^\/var\/cache\/(yum|dnf|libdnf5|tdnf)(\/\*?|\*)?$/;
function installs(call) {
  if (!call.sub) return void 0;
  if (INSTALLS.has(call.sub)) return call.sub;
  const nested = NESTED[call.sub];
  const next = call.operands[0];
  return nested && next !== void 0 && nested.has(next) ? `${call.sub} ${next}` : void 0;
}
function cleans(cmd) {
  const call = yumCall(cmd);
  if (call?.sub === "clean") return call.operands.includes("all");
  return removesPath(cmd, (p) => CACHE_RE.test(p) || p === "/var/cache/*");
}
var yum_clean_default = defineRule({
  meta: {
    id: "yum-clean",
    aliases: ["DL3032", "DL3040", "DS-0015", "DS-0019"],
    severity: "note",
    title: "yum/dnf install without clean all",
    description: [
      "`yum` and `dnf` keep the repository metadata (often 100 MB and more) and, depending on `keepcache`, the downloaded packages in `/var/cache/yum` or `/var/cache/dnf` (`/var/cache/libdnf5` with dnf5). Unless the same `RUN` removes them, they stay in the image layer for good; a later `RUN` cannot make the image smaller.",
      "",
      "End the `RUN` that installs with `yum clean all` / `dnf clean all` (`microdnf clean all`, `tdnf clean all`), or `rm -rf /var/cache/dnf`, after the last install; or keep the cache out of the image with a cache mount, `RUN --mount=type=cache,target=/var/cache/dnf dnf install -y ...`.",
      "",
      "Only stages that ship are checked (see `all-stages`): a builder stage whose files are copied out with `COPY --from` does not make the image bigger."
    ].join("\n"),
    bad: "FROM rockylinux:9\nRUN dnf install -y nginx",
    good: "FROM rockylinux:9\nRUN dnf install -y nginx && dnf clean all",
    tags: ["best-practice", "image-size"],
    optionsSchema: STAGES_OPTIONS_SCHEMA,
    optionsDoc: STAGES_OPTIONS_DOC
  },
  defaultOptions: { "all-stages": false },
  check({ model, options, report }) {
    const shipped = shippedStages(model);
    for (const { instr, stage, commands } of runInfos(model)) {
      if (!options["all-stages"] && stage && !shipped.has(stage.index)) continue;
      if (CACHE_DIRS.some((d) => mountCovers(instr, d))) continue;
      let pending;
      for (const cmd of commands) {
        if (cleans(cmd)) {
          pending = void 0;
          continue;
        }
        const call = yumCall(cmd);
        const what = call && installs(call);
        if (call && what && !pending) pending = { cmd, text: `${call.program} ${what}`, program: call.program };
      }
      if (!pending) continue;
      report({
        line: pending.cmd.line,
        message: `\`${pending.text}\` leaves the package cache and metadata in this layer: end the same RUN with \`${pending.program} clean all\``
      });
    }
  }
});

// src/core/rules/yum-yes.ts
var YUM_PROMPTING = /* @__PURE__ */ new Set([
  "install",
  "in",
  "groupinstall",
  "localinstall",
  "reinstall",
  "rei",
  "remove",
  "rm",
  "erase",
  "autoremove",
  "update",
  "upgrade",
  "up",
  "update-minimal",
  "upgrade-minimal",
  "up-min",
  "downgrade",
  "dg",
  "distro-sync",
  "distrosync",
  "dsync",
  "swap",
  "builddep",
  "groupremove",
  "groupupdate"
]);
var YUM_NESTED = {
  group: /* @__PURE__ */ new Set(["install", "remove", "upgrade", "update", "mark"]),
  groups: /* @__PURE__ */ new Set(["install", "remove", "upgrade", "update"]),
  module: /* @__PURE__ */ new Set(["install", "remove", "enable", "disable", "reset", "switch-to", "update", "upgrade"])
};
var ZYPPER_PROMPTING = /* @__PURE__ */ new Set([
  "install",
  "in",
  "remove",
  "rm",
  "update",
  "up",
  "dist-upgrade",
  "dup",
  "patch",
  "source-install",
  "si",
  "install-new-recommends",
  "inr"
]);
var ASSUMEYES_CONF = /(^|\s)assumeyes\s*=\s*(1|true|yes|on)\b/im;
function yumFinding(cmd) {
  const call = yumCall(cmd);
  if (!call || !call.sub || call.program === "microdnf") return void 0;
  const nested = YUM_NESTED[call.sub];
  if (!YUM_PROMPTING.has(call.sub) && !(nested && call.operands[0] !== void 0 && nested.has(call.operands[0]))) return void 0;
  if (hasOpt(call, "y", "assumeyes")) return void 0;
  if (optValues(call, "setopt").some((v) => /^assumeyes=/i.test(v) && isTrue(v.slice(v.indexOf("=") + 1)))) return void 0;
  const sub = nested ? `${call.sub} ${call.operands[0]}` : call.sub;
  return `\`${call.program} ${sub}\` without -y waits for a confirmation the build cannot give: write \`${call.program} ${sub} -y\``;
}
function zypperFinding(cmd) {
  const call = zypperCall(cmd);
  if (!call || !call.sub || !ZYPPER_PROMPTING.has(call.sub)) return void 0;
  if (hasOpt(call, "non-interactive", "no-confirm", "y")) return void 0;
  if (call.opts.some((o) => o.name === "n" && o.global)) return void 0;
  return `\`zypper ${call.sub}\` without --non-interactive waits for a confirmation the build cannot give: write \`zypper --non-interactive ${call.sub}\` (or \`zypper ${call.sub} -y\`)`;
}
var yum_yes_default = defineRule({
  meta: {
    id: "yum-yes",
    aliases: ["DL3030", "DL3038", "DL3034"],
    severity: "warning",
    title: "yum/dnf/zypper install without -y",
    description: [
      "A build has no terminal: `yum install` and `dnf install` (and `remove`, `update`, `group install`, `module enable` ...) ask `Is this ok [y/N]:`, read end-of-file and stop with `Operation aborted.`, failing the build. `zypper` does the same.",
      "",
      "Pass `-y` (`--assumeyes`) to yum, dnf and tdnf, and `--non-interactive` (`-n`, before the command) or `-y`/`--no-confirm` (after it) to zypper. `--setopt=assumeyes=1` and an `assumeyes=1` line written to the yum/dnf configuration earlier in the stage count too.",
      "",
      "`microdnf` is not reported: it never asks (its `-y` is accepted and ignored)."
    ].join("\n"),
    bad: "FROM rockylinux:9\nRUN dnf install nginx && dnf clean all",
    good: "FROM rockylinux:9\nRUN dnf install -y nginx && dnf clean all",
    tags: ["best-practice", "reliability"]
  },
  defaultOptions: {},
  check({ model, report }) {
    for (const { instr, commands } of runInfos(model)) {
      for (const cmd of commands) {
        const isYum = programOf(cmd) !== "zypper";
        const message = isYum ? yumFinding(cmd) : zypperFinding(cmd);
        if (!message) continue;
        if (isYum && configWritten(model, instr, cmd, ASSUMEYES_CONF)) continue;
        if (cmd.pipeline && cmd.pipeline.slice(0, cmd.pipeline.indexOf(cmd)).some((c) => programOf(c) === "yes")) continue;
        report({ line: cmd.line, message });
      }
    }
  }
});

// src/core/rules/index.ts
var BUILTIN_RULES = [
  add_instead_of_copy_default,
  add_url_checksum_default,
  apk_no_cache_default,
  apk_pin_versions_default,
  apt_get_no_install_recommends_default,
  apt_get_yes_default,
  apt_lists_cleanup_default,
  apt_not_apt_get_default,
  apt_pin_versions_default,
  apt_upgrade_default,
  chmod_777_default,
  chpasswd_default,
  copy_from_self_default,
  copy_from_unknown_stage_default,
  copy_multiple_args_slash_default,
  curl_pipe_shell_default,
  duplicate_stage_name_default,
  env_self_reference_default,
  expose_port_range_default,
  expose_ssh_port_default,
  from_platform_flag_default,
  gem_pin_versions_default,
  healthcheck_missing_default,
  invalid_instruction_order_default,
  json_cmd_entrypoint_default,
  maintainer_deprecated_default,
  multiple_cmd_default,
  multiple_entrypoint_default,
  multiple_healthcheck_default,
  npm_pin_versions_default,
  package_signature_disabled_default,
  pip_no_cache_dir_default,
  pip_pin_versions_default,
  pointless_commands_default,
  root_user_default,
  run_cd_default,
  secret_in_env_default,
  shell_pipefail_default,
  shellcheck_default,
  stage_name_casing_default,
  sudo_default,
  tls_verification_disabled_default,
  trusted_registries_default,
  unpinned_base_image_default,
  unused_suppression_default,
  update_alone_default,
  useradd_high_uid_default,
  wget_and_curl_default,
  workdir_relative_default,
  yum_clean_default,
  yum_yes_default
];

// src/core/rules/docs.ts
var enabled = (m) => m.enabledByDefault !== false;
function formatRuleList(metas, format) {
  const sorted = [...metas].sort((a, b) => a.id < b.id ? -1 : 1);
  if (format === "json") {
    return JSON.stringify(
      sorted.map((m) => ({ id: m.id, aliases: m.aliases, severity: m.severity, enabled: enabled(m), title: m.title, tags: m.tags })),
      null,
      2
    ) + "\n";
  }
  if (format === "markdown") {
    const rows = sorted.map(
      (m) => `| [\`${m.id}\`](${m.id}.md) | ${m.title.replace(/\|/g, "\\|")} | ${m.severity} | ${enabled(m) ? "yes" : "no"} | ${m.aliases.join(", ")} |`
    );
    return [
      "# Rules",
      "",
      `${sorted.length} built-in rules.`,
      "",
      "| Rule | What it checks | Severity | Default | Aliases |",
      "|---|---|---|---|---|",
      ...rows,
      ""
    ].join("\n");
  }
  const w = Math.max(...sorted.map((m) => m.id.length));
  return sorted.map(
    (m) => `${m.id.padEnd(w)}  ${m.severity.padEnd(7)}  ${enabled(m) ? "on " : "off"}  ${m.title}${m.aliases.length ? `  [${m.aliases.join(", ")}]` : ""}`
  ).join("\n") + "\n";
}

// src/io/config.ts
import fs3 from "node:fs";
import path4 from "node:path";

// src/io/files.ts
import fs2 from "node:fs";
import path3 from "node:path";

// src/core/discover.ts
var opts = { dot: true, nocase: false };
function selectDockerfiles(paths, include, exclude) {
  return paths.filter((p) => include.some((g) => minimatch(p, g, opts)) && !exclude.some((g) => minimatch(p, g, opts))).sort();
}
function isExcluded(path11, exclude) {
  return exclude.some((g) => minimatch(path11, g, opts));
}
function parseShard(text) {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!m || total < 1 || index < 1 || index > total) throw new Error(`invalid shard "${text}": use K/N with 1 <= K <= N, e.g. 2/4`);
  return { index, total };
}
function shardFiles(files, shard) {
  return [...files].sort().filter((_, i2) => i2 % shard.total === shard.index - 1);
}

// src/io/files.ts
var ALWAYS_SKIP = /* @__PURE__ */ new Set(["node_modules", ".git"]);
var toPosix = (p) => p.split(path3.sep).join("/");
function walk(root, rel, out2) {
  let entries;
  try {
    entries = fs2.readdirSync(path3.join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (ALWAYS_SKIP.has(e.name)) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(root, r, out2);
    else if (e.isFile()) out2.push(r);
  }
}
function walkFiles(root, rel = "") {
  const out2 = [];
  walk(root, rel, out2);
  return out2;
}
function discover(cwd, args2, include, exclude) {
  const files = /* @__PURE__ */ new Set();
  const missing = [];
  let tree;
  const all = () => tree ??= walkFiles(cwd);
  for (const arg of args2.length > 0 ? args2 : ["."]) {
    const abs = path3.resolve(cwd, arg);
    const rel = toPosix(path3.relative(cwd, abs)) || ".";
    let stat2;
    try {
      stat2 = fs2.statSync(abs);
    } catch {
      stat2 = void 0;
    }
    if (stat2?.isFile()) files.add(rel);
    else if (stat2?.isDirectory()) {
      const under = rel === "." ? all() : walkFiles(abs);
      const prefix2 = rel === "." ? "" : `${rel}/`;
      for (const f of selectDockerfiles(under, include, exclude)) files.add(prefix2 + f);
    } else {
      const matched = all().filter((f) => minimatch(f, arg, { dot: true }) && !isExcluded(f, exclude));
      if (matched.length === 0) missing.push(arg);
      for (const f of matched) files.add(f);
    }
  }
  return { files: [...files].sort(), missing };
}
function writeFileAtomic(file, data) {
  fs2.mkdirSync(path3.dirname(path3.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs2.writeFileSync(tmp, data);
  fs2.renameSync(tmp, file);
}
var CONFIG_NAMES = [".container-guard.yml", ".container-guard.yaml"];
function findConfig(cwd) {
  for (const n of CONFIG_NAMES) {
    const p = path3.join(cwd, n);
    if (fs2.existsSync(p)) return p;
  }
  return void 0;
}

// src/io/config.ts
function readConfig(cwd, explicit, rules2) {
  const file = explicit ? path4.resolve(cwd, explicit) : findConfig(cwd);
  if (!file) return defaultConfig();
  const shown = toPosix(path4.relative(cwd, file)) || file;
  let text;
  try {
    text = fs3.readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(shown, 1, `cannot read config: ${e.code ?? e.message}`);
  }
  const config = parseConfig(text, shown, rules2);
  const base = toPosix(path4.relative(cwd, path4.dirname(file)));
  config.baseDir = base === "" || base === "." ? "" : base;
  return config;
}

// src/io/lint-run.ts
import fs7 from "node:fs";
import path10 from "node:path";

// src/core/suppress.ts
var PRAGMA_RE = /^(container-guard|hadolint)\s+(?:(global|stage)\s+)?ignore\s*=\s*([^\s].*?)\s*(?:--\s*(.*))?$/i;
function parseSuppressions(model) {
  const out2 = [];
  const lastLine = Math.max(model.lines.length, 1);
  for (const d of model.directives) {
    if (d.name !== "check") continue;
    for (const part of d.value.split(";")) {
      const [k, v] = part.split("=", 2).map((s) => s.trim());
      if (k?.toLowerCase() === "skip" && v) {
        out2.push({
          ids: v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean),
          from: 1,
          to: lastLine,
          line: d.line,
          scope: "global",
          used: /* @__PURE__ */ new Set()
        });
      }
    }
  }
  for (const c of model.comments) {
    const m = PRAGMA_RE.exec(c.text);
    if (!m) continue;
    const scope = m[2]?.toLowerCase() ?? "next";
    const ids = m[3].split(/[,\s]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
    const next = model.instructions.find((i2) => i2.line > c.line);
    let from = c.line;
    let to = lastLine;
    if (scope === "next") {
      if (!next) continue;
      from = next.line;
      to = next.endLine;
    } else if (scope === "stage") {
      const stageIdx = next ? next.stage : -1;
      const following = model.stages[stageIdx + 1];
      to = following ? following.instruction.line - 1 : lastLine;
    } else {
      from = 1;
    }
    out2.push({ ids, from, to, line: c.line, scope, reason: m[4]?.trim() || void 0, used: /* @__PURE__ */ new Set() });
  }
  return out2;
}
function findSuppression(sups, ids, line) {
  for (const s of sups) {
    if (line < s.from || line > s.to) continue;
    for (const id of ids) {
      if (s.ids.includes(id) || s.ids.includes("all")) {
        s.used.add(s.ids.includes(id) ? id : "all");
        return s;
      }
    }
  }
  return void 0;
}

// src/core/lint.ts
var ENGINE_RULES = {
  parseError: "parse-error",
  unknownInstruction: "unknown-instruction",
  ruleFailure: "rule-failure",
  unusedSuppression: "unused-suppression",
  expiredIgnore: "expired-ignore"
};
var isMatch = (file, globs) => globs.some((g) => minimatch(file, g, { dot: true, matchBase: !g.includes("/") }));
function configRelative(config, file) {
  const base = config.baseDir;
  return base && file.startsWith(base + "/") ? file.slice(base.length + 1) : file;
}
function effectiveSetting(rule, config, file) {
  const base = config.rules[rule.meta.id] ?? {};
  let enabled2 = base.enabled ?? rule.meta.enabledByDefault ?? true;
  let severity = base.severity ?? rule.meta.severity;
  let explicitSeverity = base.severity !== void 0;
  let options = { ...rule.defaultOptions, ...base.options ?? {} };
  for (const o of config.overrides) {
    if (!isMatch(configRelative(config, file), o.files)) continue;
    const s = o.rules[rule.meta.id];
    if (!s) continue;
    if (s.enabled !== void 0) enabled2 = s.enabled;
    if (s.severity) {
      severity = s.severity;
      explicitSeverity = true;
    }
    if (s.options) options = { ...options, ...s.options };
  }
  return { enabled: enabled2, severity, explicitSeverity, options };
}
function decode(content, maxSize) {
  if (typeof content === "string") return { text: content };
  if (content.byteLength > maxSize) {
    return {
      error: `file is ${(content.byteLength / 1048576).toFixed(1)} MiB, over the ${(maxSize / 1048576).toFixed(1)} MiB limit for a Dockerfile (raise lint.max-file-size if this is intended)`
    };
  }
  const probe = content.subarray(0, 8192);
  if (probe.includes(0)) return { error: "binary file (contains NUL bytes), not a Dockerfile" };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(content) };
  } catch {
    const loose = new TextDecoder("utf-8").decode(content);
    const bad = loose.indexOf("\uFFFD");
    const line = bad < 0 ? 1 : loose.slice(0, bad).split("\n").length;
    return { error: `invalid UTF-8 at line ${line}: save the file as UTF-8`, line };
  }
}
function collectSecrets(model) {
  const out2 = /* @__PURE__ */ new Set();
  for (const instr of model.instructions) {
    if (instr.keyword === "ENV" || instr.keyword === "ARG" || instr.keyword === "LABEL") {
      for (const p of instr.pairs) {
        if (p.value && p.value.length >= 3 && isSecretName(p.key) && !isIndirectValue(p.value) && !isNotASecretValue(p.value)) {
          out2.add(p.value);
          if (p.rawValue) out2.add(p.rawValue);
        }
      }
    }
  }
  for (const m of findSecretValues(model.lines.join("\n"))) out2.add(m.text);
  return out2;
}
function lintFile(file, content, config, rules2, options = {}) {
  const decoded = decode(content, config.lint.maxFileSize);
  const base = {
    ruleId: ENGINE_RULES.parseError,
    aliases: [],
    severity: "error",
    file,
    column: 1,
    help: docsUrl(ENGINE_RULES.parseError),
    tool: "lint"
  };
  if (decoded.error !== void 0) {
    const line = decoded.line ?? 1;
    return { file, findings: [{ ...base, line, endLine: line, message: decoded.error }], suppressed: [], error: decoded.error };
  }
  const model = parseDockerfile(file, decoded.text, {
    buildArgs: config.lint.buildArgs,
    targets: config.lint.targets,
    shellCache: options.shellCache
  });
  const secrets = collectSecrets(model);
  const raw = [];
  let error;
  if (model.instructions.length === 0) {
    error = "file has no instructions (an empty Dockerfile cannot be built)";
    raw.push({ ...base, line: 1, endLine: 1, message: error });
  }
  for (const p of model.problems) {
    const ruleId = p.kind === "syntax" ? ENGINE_RULES.parseError : ENGINE_RULES.unknownInstruction;
    if (p.kind === "syntax") error ??= p.message;
    raw.push({ ...base, ruleId, help: docsUrl(ruleId), line: p.line, endLine: p.line, message: p.message });
  }
  for (const rule of rules2) {
    const setting = effectiveSetting(rule, config, file);
    if (!setting.enabled) continue;
    const report = (d) => {
      raw.push({
        ruleId: d.ruleId ?? rule.meta.id,
        aliases: d.aliases ? [...d.aliases, ...rule.meta.aliases] : rule.meta.aliases,
        severity: setting.explicitSeverity ? setting.severity : d.severity ?? setting.severity,
        file,
        line: d.line,
        column: d.column ?? 1,
        endLine: d.endLine ?? d.line,
        message: d.message,
        help: d.help ?? docsUrl(rule.meta.id),
        fix: d.fix,
        tool: "lint"
      });
    };
    try {
      rule.check({ model, options: setting.options, external: options.external?.get(file) ?? {}, report });
    } catch (e) {
      raw.push({
        ...base,
        ruleId: ENGINE_RULES.ruleFailure,
        severity: "warning",
        help: docsUrl(ENGINE_RULES.ruleFailure),
        line: 1,
        endLine: 1,
        message: `rule ${rule.meta.id} failed on this file: ${e.message}`
      });
    }
  }
  const sups = parseSuppressions(model);
  const now = options.now ?? /* @__PURE__ */ new Date();
  const findings = [];
  const suppressed = [];
  for (const f of raw) {
    const ids = [f.ruleId, ...f.aliases].map((s) => s.toLowerCase());
    const hiddenInline = f.ruleId !== ENGINE_RULES.parseError && findSuppression(sups, ids, f.line);
    const hiddenByConfig = !hiddenInline && config.ignores.some((ig) => ignoreApplies(ig, ids, configRelative(config, file), now));
    const line = model.lines[f.line - 1];
    const masked = {
      ...f,
      message: maskText(f.message, secrets),
      snippet: line === void 0 ? void 0 : maskText(line, secrets),
      fix: f.fix ? { ...f.fix, replacement: maskText(f.fix.replacement, secrets) } : void 0
    };
    if (!masked.fix) delete masked.fix;
    if (masked.snippet === void 0) delete masked.snippet;
    if (hiddenInline) suppressed.push({ ...masked, suppressedBy: "inline" });
    else if (hiddenByConfig) suppressed.push({ ...masked, suppressedBy: "config" });
    else findings.push(masked);
  }
  const unusedRule = rules2.find((r) => r.meta.id === ENGINE_RULES.unusedSuppression);
  if (unusedRule) {
    const setting = effectiveSetting(unusedRule, config, file);
    if (setting.enabled) {
      for (const s of sups) {
        for (const id of s.ids) {
          if (s.used.has(id) || s.used.has("all")) continue;
          findings.push({
            ruleId: unusedRule.meta.id,
            aliases: [],
            severity: setting.severity,
            file,
            line: s.line,
            column: 1,
            endLine: s.line,
            message: `suppression of "${id}" matched no finding; remove it`,
            help: docsUrl(unusedRule.meta.id),
            tool: "lint"
          });
        }
      }
    }
  }
  findings.sort(compareFindings);
  suppressed.sort(compareFindings);
  return { file, findings, suppressed, error };
}
function ignoreApplies(ig, ids, file, now) {
  if (ig.until && isExpired(ig.until, now)) return false;
  if (ig.files && ig.files.length > 0 && !isMatch(file, ig.files)) return false;
  return ig.rules.some((r) => ids.includes(r.toLowerCase()));
}
function isExpired(until, now) {
  return now.toISOString().slice(0, 10) > until;
}
function expiredIgnoreFindings(config, now = /* @__PURE__ */ new Date()) {
  return config.ignores.filter((ig) => ig.until && isExpired(ig.until, now)).map((ig) => ({
    ruleId: ENGINE_RULES.expiredIgnore,
    aliases: [],
    severity: "warning",
    file: ig.source?.file ?? config.file ?? ".container-guard.yml",
    line: ig.source?.line ?? 1,
    column: 1,
    endLine: ig.source?.line ?? 1,
    message: `ignore of ${ig.rules.join(", ")} expired on ${ig.until} and no longer hides findings (reason was: ${ig.reason})`,
    help: docsUrl(ENGINE_RULES.expiredIgnore),
    tool: "lint"
  }));
}

// src/core/rules/engine-rules.ts
var ENGINE_RULE_META = [
  {
    id: "parse-error",
    aliases: [],
    severity: "error",
    title: "The file cannot be read or parsed as a Dockerfile",
    description: "Binary files, invalid UTF-8, files over `lint.max-file-size`, empty files and unterminated heredocs cannot be built. The other files are still linted; the run exits with code 2.",
    bad: "RUN <<EOF\necho never terminated",
    good: "RUN <<EOF\necho done\nEOF",
    tags: ["correctness"]
  },
  {
    id: "unknown-instruction",
    aliases: [],
    severity: "error",
    title: "Unknown instruction",
    description: "BuildKit rejects instructions it does not know. This is often a typo or a line that lost its continuation backslash.",
    bad: "FROM alpine:3.20\nRUN apk add curl &&\n    rm -rf /var/cache/apk/*",
    good: "FROM alpine:3.20\nRUN apk add curl && \\\n    rm -rf /var/cache/apk/*",
    tags: ["correctness"]
  },
  {
    id: "rule-failure",
    aliases: [],
    severity: "warning",
    title: "A rule failed on this file",
    description: "A rule threw while checking the file. The other rules still ran. Please report it with the Dockerfile that caused it.",
    bad: "",
    good: "",
    tags: ["internal"]
  },
  {
    id: "expired-ignore",
    aliases: [],
    severity: "warning",
    title: "An ignore in the config has expired",
    description: "An entry of `ignores:` has an `until:` date in the past. It no longer hides findings; renew it with a reason or fix the findings.",
    bad: "ignores:\n  - rules: DL3008\n    until: 2020-01-01\n    reason: waiting for upstream",
    good: "ignores:\n  - rules: DL3008\n    until: 2030-01-01\n    reason: waiting for upstream",
    tags: ["config"]
  }
];

// src/core/run.ts
var TOOL = { name: "container-guard", version: "0.1.0", informationUri: "https://github.com/container-guard/container-guard" };
function lintAll(inputs, config, rules2, options = {}) {
  const findings = [];
  const suppressed = [];
  const files = [];
  const errors = [];
  const perRun = { ...options, shellCache: options.shellCache ?? /* @__PURE__ */ new Map() };
  for (const input of inputs) {
    files.push(input.file);
    const r = lintFile(input.file, input.content, config, rules2, perRun);
    findings.push(...r.findings);
    suppressed.push(...r.suppressed);
    if (r.error) errors.push({ file: input.file, message: r.error });
  }
  findings.push(...expiredIgnoreFindings(config, options.now));
  findings.sort(compareFindings);
  return buildReport(findings, suppressed, files, errors, rules2);
}
function buildReport(findings, suppressed, files, errors, rules2) {
  const seen = new Set([...findings, ...suppressed].map((f) => f.ruleId));
  const metas = [...rules2.map((r) => r.meta), ...ENGINE_RULE_META].filter((m) => seen.has(m.id));
  return { tool: TOOL, findings, suppressed, files, errors, counts: countBySeverity(findings), rules: metas };
}

// src/io/wasm.ts
import fs4 from "node:fs";
import { createRequire } from "node:module";
import path5 from "node:path";
import v8 from "node:v8";
import { fileURLToPath } from "node:url";
function locate(file, pkgPath) {
  const here = path5.dirname(fileURLToPath(import.meta.url));
  for (const dir of [path5.join(here, "..", "wasm"), path5.join(here, "wasm")]) {
    const p = path5.join(dir, file);
    if (fs4.existsSync(p)) return p;
  }
  return createRequire(import.meta.url).resolve(pkgPath);
}
async function loadShellParser(options = {}) {
  if (options.liftoff ?? true) v8.setFlagsFromString("--liftoff-only");
  await initShellParser({
    runtime: fs4.readFileSync(locate("tree-sitter.wasm", "web-tree-sitter/tree-sitter.wasm")),
    bash: fs4.readFileSync(locate("tree-sitter-bash.wasm", "tree-sitter-bash/tree-sitter-bash.wasm"))
  });
}

// node_modules/@actions/exec/lib/exec.js
import { StringDecoder } from "string_decoder";

// node_modules/@actions/exec/lib/toolrunner.js
import * as os from "os";
import * as events from "events";
import * as child from "child_process";
import * as path8 from "path";

// node_modules/@actions/io/lib/io.js
import * as path7 from "path";

// node_modules/@actions/io/lib/io-util.js
import * as fs5 from "fs";
import * as path6 from "path";
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve2) {
      resolve2(value);
    });
  }
  return new (P || (P = Promise))(function(resolve2, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs5.promises;
var IS_WINDOWS = process.platform === "win32";
var READONLY = fs5.constants.O_RDONLY;
function exists(fsPath) {
  return __awaiter(this, void 0, void 0, function* () {
    try {
      yield stat(fsPath);
    } catch (err2) {
      if (err2.code === "ENOENT") {
        return false;
      }
      throw err2;
    }
    return true;
  });
}
function isRooted(p) {
  p = normalizeSeparators(p);
  if (!p) {
    throw new Error('isRooted() parameter "p" cannot be empty');
  }
  if (IS_WINDOWS) {
    return p.startsWith("\\") || /^[A-Z]:/i.test(p);
  }
  return p.startsWith("/");
}
function tryGetExecutablePath(filePath, extensions) {
  return __awaiter(this, void 0, void 0, function* () {
    let stats = void 0;
    try {
      stats = yield stat(filePath);
    } catch (err2) {
      if (err2.code !== "ENOENT") {
        console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err2}`);
      }
    }
    if (stats && stats.isFile()) {
      if (IS_WINDOWS) {
        const upperExt = path6.extname(filePath).toUpperCase();
        if (extensions.some((validExt) => validExt.toUpperCase() === upperExt)) {
          return filePath;
        }
      } else {
        if (isUnixExecutable(stats)) {
          return filePath;
        }
      }
    }
    const originalFilePath = filePath;
    for (const extension of extensions) {
      filePath = originalFilePath + extension;
      stats = void 0;
      try {
        stats = yield stat(filePath);
      } catch (err2) {
        if (err2.code !== "ENOENT") {
          console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err2}`);
        }
      }
      if (stats && stats.isFile()) {
        if (IS_WINDOWS) {
          try {
            const directory = path6.dirname(filePath);
            const upperName = path6.basename(filePath).toUpperCase();
            for (const actualName of yield readdir(directory)) {
              if (upperName === actualName.toUpperCase()) {
                filePath = path6.join(directory, actualName);
                break;
              }
            }
          } catch (err2) {
            console.log(`Unexpected error attempting to determine the actual case of the file '${filePath}': ${err2}`);
          }
          return filePath;
        } else {
          if (isUnixExecutable(stats)) {
            return filePath;
          }
        }
      }
    }
    return "";
  });
}
function normalizeSeparators(p) {
  p = p || "";
  if (IS_WINDOWS) {
    p = p.replace(/\//g, "\\");
    return p.replace(/\\\\+/g, "\\");
  }
  return p.replace(/\/\/+/g, "/");
}
function isUnixExecutable(stats) {
  return (stats.mode & 1) > 0 || (stats.mode & 8) > 0 && process.getgid !== void 0 && stats.gid === process.getgid() || (stats.mode & 64) > 0 && process.getuid !== void 0 && stats.uid === process.getuid();
}

// node_modules/@actions/io/lib/io.js
var __awaiter2 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve2) {
      resolve2(value);
    });
  }
  return new (P || (P = Promise))(function(resolve2, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
function which(tool, check) {
  return __awaiter2(this, void 0, void 0, function* () {
    if (!tool) {
      throw new Error("parameter 'tool' is required");
    }
    if (check) {
      const result = yield which(tool, false);
      if (!result) {
        if (IS_WINDOWS) {
          throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also verify the file has a valid extension for an executable file.`);
        } else {
          throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.`);
        }
      }
      return result;
    }
    const matches = yield findInPath(tool);
    if (matches && matches.length > 0) {
      return matches[0];
    }
    return "";
  });
}
function findInPath(tool) {
  return __awaiter2(this, void 0, void 0, function* () {
    if (!tool) {
      throw new Error("parameter 'tool' is required");
    }
    const extensions = [];
    if (IS_WINDOWS && process.env["PATHEXT"]) {
      for (const extension of process.env["PATHEXT"].split(path7.delimiter)) {
        if (extension) {
          extensions.push(extension);
        }
      }
    }
    if (isRooted(tool)) {
      const filePath = yield tryGetExecutablePath(tool, extensions);
      if (filePath) {
        return [filePath];
      }
      return [];
    }
    if (tool.includes(path7.sep)) {
      return [];
    }
    const directories = [];
    if (process.env.PATH) {
      for (const p of process.env.PATH.split(path7.delimiter)) {
        if (p) {
          directories.push(p);
        }
      }
    }
    const matches = [];
    for (const directory of directories) {
      const filePath = yield tryGetExecutablePath(path7.join(directory, tool), extensions);
      if (filePath) {
        matches.push(filePath);
      }
    }
    return matches;
  });
}

// node_modules/@actions/exec/lib/toolrunner.js
import { setTimeout as setTimeout2 } from "timers";
var __awaiter3 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve2) {
      resolve2(value);
    });
  }
  return new (P || (P = Promise))(function(resolve2, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var IS_WINDOWS2 = process.platform === "win32";
var ToolRunner = class extends events.EventEmitter {
  constructor(toolPath, args2, options) {
    super();
    if (!toolPath) {
      throw new Error("Parameter 'toolPath' cannot be null or empty.");
    }
    this.toolPath = toolPath;
    this.args = args2 || [];
    this.options = options || {};
  }
  _debug(message) {
    if (this.options.listeners && this.options.listeners.debug) {
      this.options.listeners.debug(message);
    }
  }
  _getCommandString(options, noPrefix) {
    const toolPath = this._getSpawnFileName();
    const args2 = this._getSpawnArgs(options);
    let cmd = noPrefix ? "" : "[command]";
    if (IS_WINDOWS2) {
      if (this._isCmdFile()) {
        cmd += toolPath;
        for (const a of args2) {
          cmd += ` ${a}`;
        }
      } else if (options.windowsVerbatimArguments) {
        cmd += `"${toolPath}"`;
        for (const a of args2) {
          cmd += ` ${a}`;
        }
      } else {
        cmd += this._windowsQuoteCmdArg(toolPath);
        for (const a of args2) {
          cmd += ` ${this._windowsQuoteCmdArg(a)}`;
        }
      }
    } else {
      cmd += toolPath;
      for (const a of args2) {
        cmd += ` ${a}`;
      }
    }
    return cmd;
  }
  _processLineBuffer(data, strBuffer, onLine) {
    try {
      let s = strBuffer + data.toString();
      let n = s.indexOf(os.EOL);
      while (n > -1) {
        const line = s.substring(0, n);
        onLine(line);
        s = s.substring(n + os.EOL.length);
        n = s.indexOf(os.EOL);
      }
      return s;
    } catch (err2) {
      this._debug(`error processing line. Failed with error ${err2}`);
      return "";
    }
  }
  _getSpawnFileName() {
    if (IS_WINDOWS2) {
      if (this._isCmdFile()) {
        return process.env["COMSPEC"] || "cmd.exe";
      }
    }
    return this.toolPath;
  }
  _getSpawnArgs(options) {
    if (IS_WINDOWS2) {
      if (this._isCmdFile()) {
        let argline = `/D /S /C "${this._windowsQuoteCmdArg(this.toolPath)}`;
        for (const a of this.args) {
          argline += " ";
          argline += options.windowsVerbatimArguments ? a : this._windowsQuoteCmdArg(a);
        }
        argline += '"';
        return [argline];
      }
    }
    return this.args;
  }
  _endsWith(str, end) {
    return str.endsWith(end);
  }
  _isCmdFile() {
    const upperToolPath = this.toolPath.toUpperCase();
    return this._endsWith(upperToolPath, ".CMD") || this._endsWith(upperToolPath, ".BAT");
  }
  _windowsQuoteCmdArg(arg) {
    if (!this._isCmdFile()) {
      return this._uvQuoteCmdArg(arg);
    }
    if (!arg) {
      return '""';
    }
    const cmdSpecialChars = [
      " ",
      "	",
      "&",
      "(",
      ")",
      "[",
      "]",
      "{",
      "}",
      "^",
      "=",
      ";",
      "!",
      "'",
      "+",
      ",",
      "`",
      "~",
      "|",
      "<",
      ">",
      '"'
    ];
    let needsQuotes = false;
    for (const char of arg) {
      if (cmdSpecialChars.some((x) => x === char)) {
        needsQuotes = true;
        break;
      }
    }
    if (!needsQuotes) {
      return arg;
    }
    let reverse = '"';
    let quoteHit = true;
    for (let i2 = arg.length; i2 > 0; i2--) {
      reverse += arg[i2 - 1];
      if (quoteHit && arg[i2 - 1] === "\\") {
        reverse += "\\";
      } else if (arg[i2 - 1] === '"') {
        quoteHit = true;
        reverse += '"';
      } else {
        quoteHit = false;
      }
    }
    reverse += '"';
    return reverse.split("").reverse().join("");
  }
  _uvQuoteCmdArg(arg) {
    if (!arg) {
      return '""';
    }
    if (!arg.includes(" ") && !arg.includes("	") && !arg.includes('"')) {
      return arg;
    }
    if (!arg.includes('"') && !arg.includes("\\")) {
      return `"${arg}"`;
    }
    let reverse = '"';
    let quoteHit = true;
    for (let i2 = arg.length; i2 > 0; i2--) {
      reverse += arg[i2 - 1];
      if (quoteHit && arg[i2 - 1] === "\\") {
        reverse += "\\";
      } else if (arg[i2 - 1] === '"') {
        quoteHit = true;
        reverse += "\\";
      } else {
        quoteHit = false;
      }
    }
    reverse += '"';
    return reverse.split("").reverse().join("");
  }
  _cloneExecOptions(options) {
    options = options || {};
    const result = {
      cwd: options.cwd || process.cwd(),
      env: options.env || process.env,
      silent: options.silent || false,
      windowsVerbatimArguments: options.windowsVerbatimArguments || false,
      failOnStdErr: options.failOnStdErr || false,
      ignoreReturnCode: options.ignoreReturnCode || false,
      delay: options.delay || 1e4
    };
    result.outStream = options.outStream || process.stdout;
    result.errStream = options.errStream || process.stderr;
    return result;
  }
  _getSpawnOptions(options, toolPath) {
    options = options || {};
    const result = {};
    result.cwd = options.cwd;
    result.env = options.env;
    result["windowsVerbatimArguments"] = options.windowsVerbatimArguments || this._isCmdFile();
    if (options.windowsVerbatimArguments) {
      result.argv0 = `"${toolPath}"`;
    }
    return result;
  }
  /**
   * Exec a tool.
   * Output will be streamed to the live console.
   * Returns promise with return code
   *
   * @param     tool     path to tool to exec
   * @param     options  optional exec options.  See ExecOptions
   * @returns   number
   */
  exec() {
    return __awaiter3(this, void 0, void 0, function* () {
      if (!isRooted(this.toolPath) && (this.toolPath.includes("/") || IS_WINDOWS2 && this.toolPath.includes("\\"))) {
        this.toolPath = path8.resolve(process.cwd(), this.options.cwd || process.cwd(), this.toolPath);
      }
      this.toolPath = yield which(this.toolPath, true);
      return new Promise((resolve2, reject) => __awaiter3(this, void 0, void 0, function* () {
        this._debug(`exec tool: ${this.toolPath}`);
        this._debug("arguments:");
        for (const arg of this.args) {
          this._debug(`   ${arg}`);
        }
        const optionsNonNull = this._cloneExecOptions(this.options);
        if (!optionsNonNull.silent && optionsNonNull.outStream) {
          optionsNonNull.outStream.write(this._getCommandString(optionsNonNull) + os.EOL);
        }
        const state = new ExecState(optionsNonNull, this.toolPath);
        state.on("debug", (message) => {
          this._debug(message);
        });
        if (this.options.cwd && !(yield exists(this.options.cwd))) {
          return reject(new Error(`The cwd: ${this.options.cwd} does not exist!`));
        }
        const fileName = this._getSpawnFileName();
        const cp = child.spawn(fileName, this._getSpawnArgs(optionsNonNull), this._getSpawnOptions(this.options, fileName));
        let stdbuffer = "";
        if (cp.stdout) {
          cp.stdout.on("data", (data) => {
            if (this.options.listeners && this.options.listeners.stdout) {
              this.options.listeners.stdout(data);
            }
            if (!optionsNonNull.silent && optionsNonNull.outStream) {
              optionsNonNull.outStream.write(data);
            }
            stdbuffer = this._processLineBuffer(data, stdbuffer, (line) => {
              if (this.options.listeners && this.options.listeners.stdline) {
                this.options.listeners.stdline(line);
              }
            });
          });
        }
        let errbuffer = "";
        if (cp.stderr) {
          cp.stderr.on("data", (data) => {
            state.processStderr = true;
            if (this.options.listeners && this.options.listeners.stderr) {
              this.options.listeners.stderr(data);
            }
            if (!optionsNonNull.silent && optionsNonNull.errStream && optionsNonNull.outStream) {
              const s = optionsNonNull.failOnStdErr ? optionsNonNull.errStream : optionsNonNull.outStream;
              s.write(data);
            }
            errbuffer = this._processLineBuffer(data, errbuffer, (line) => {
              if (this.options.listeners && this.options.listeners.errline) {
                this.options.listeners.errline(line);
              }
            });
          });
        }
        cp.on("error", (err2) => {
          state.processError = err2.message;
          state.processExited = true;
          state.processClosed = true;
          state.CheckComplete();
        });
        cp.on("exit", (code) => {
          state.processExitCode = code;
          state.processExited = true;
          this._debug(`Exit code ${code} received from tool '${this.toolPath}'`);
          state.CheckComplete();
        });
        cp.on("close", (code) => {
          state.processExitCode = code;
          state.processExited = true;
          state.processClosed = true;
          this._debug(`STDIO streams have closed for tool '${this.toolPath}'`);
          state.CheckComplete();
        });
        state.on("done", (error, exitCode) => {
          if (stdbuffer.length > 0) {
            this.emit("stdline", stdbuffer);
          }
          if (errbuffer.length > 0) {
            this.emit("errline", errbuffer);
          }
          cp.removeAllListeners();
          if (error) {
            reject(error);
          } else {
            resolve2(exitCode);
          }
        });
        if (this.options.input) {
          if (!cp.stdin) {
            throw new Error("child process missing stdin");
          }
          cp.stdin.end(this.options.input);
        }
      }));
    });
  }
};
function argStringToArray(argString) {
  const args2 = [];
  let inQuotes = false;
  let escaped = false;
  let arg = "";
  function append(c) {
    if (escaped && c !== '"') {
      arg += "\\";
    }
    arg += c;
    escaped = false;
  }
  for (let i2 = 0; i2 < argString.length; i2++) {
    const c = argString.charAt(i2);
    if (c === '"') {
      if (!escaped) {
        inQuotes = !inQuotes;
      } else {
        append(c);
      }
      continue;
    }
    if (c === "\\" && escaped) {
      append(c);
      continue;
    }
    if (c === "\\" && inQuotes) {
      escaped = true;
      continue;
    }
    if (c === " " && !inQuotes) {
      if (arg.length > 0) {
        args2.push(arg);
        arg = "";
      }
      continue;
    }
    append(c);
  }
  if (arg.length > 0) {
    args2.push(arg.trim());
  }
  return args2;
}
var ExecState = class _ExecState extends events.EventEmitter {
  constructor(options, toolPath) {
    super();
    this.processClosed = false;
    this.processError = "";
    this.processExitCode = 0;
    this.processExited = false;
    this.processStderr = false;
    this.delay = 1e4;
    this.done = false;
    this.timeout = null;
    if (!toolPath) {
      throw new Error("toolPath must not be empty");
    }
    this.options = options;
    this.toolPath = toolPath;
    if (options.delay) {
      this.delay = options.delay;
    }
  }
  CheckComplete() {
    if (this.done) {
      return;
    }
    if (this.processClosed) {
      this._setResult();
    } else if (this.processExited) {
      this.timeout = setTimeout2(_ExecState.HandleTimeout, this.delay, this);
    }
  }
  _debug(message) {
    this.emit("debug", message);
  }
  _setResult() {
    let error;
    if (this.processExited) {
      if (this.processError) {
        error = new Error(`There was an error when attempting to execute the process '${this.toolPath}'. This may indicate the process failed to start. Error: ${this.processError}`);
      } else if (this.processExitCode !== 0 && !this.options.ignoreReturnCode) {
        error = new Error(`The process '${this.toolPath}' failed with exit code ${this.processExitCode}`);
      } else if (this.processStderr && this.options.failOnStdErr) {
        error = new Error(`The process '${this.toolPath}' failed because one or more lines were written to the STDERR stream`);
      }
    }
    if (this.timeout) {
      clearTimeout(this.timeout);
      this.timeout = null;
    }
    this.done = true;
    this.emit("done", error, this.processExitCode);
  }
  static HandleTimeout(state) {
    if (state.done) {
      return;
    }
    if (!state.processClosed && state.processExited) {
      const message = `The STDIO streams did not close within ${state.delay / 1e3} seconds of the exit event from process '${state.toolPath}'. This may indicate a child process inherited the STDIO streams and has not yet exited.`;
      state._debug(message);
    }
    state._setResult();
  }
};

// node_modules/@actions/exec/lib/exec.js
var __awaiter4 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve2) {
      resolve2(value);
    });
  }
  return new (P || (P = Promise))(function(resolve2, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve2(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
function exec(commandLine, args2, options) {
  return __awaiter4(this, void 0, void 0, function* () {
    const commandArgs = argStringToArray(commandLine);
    if (commandArgs.length === 0) {
      throw new Error(`Parameter 'commandLine' cannot be null or empty.`);
    }
    const toolPath = commandArgs[0];
    args2 = commandArgs.slice(1).concat(args2 || []);
    const runner = new ToolRunner(toolPath, args2, options);
    return runner.exec();
  });
}
function getExecOutput(commandLine, args2, options) {
  return __awaiter4(this, void 0, void 0, function* () {
    var _a, _b;
    let stdout = "";
    let stderr = "";
    const stdoutDecoder = new StringDecoder("utf8");
    const stderrDecoder = new StringDecoder("utf8");
    const originalStdoutListener = (_a = options === null || options === void 0 ? void 0 : options.listeners) === null || _a === void 0 ? void 0 : _a.stdout;
    const originalStdErrListener = (_b = options === null || options === void 0 ? void 0 : options.listeners) === null || _b === void 0 ? void 0 : _b.stderr;
    const stdErrListener = (data) => {
      stderr += stderrDecoder.write(data);
      if (originalStdErrListener) {
        originalStdErrListener(data);
      }
    };
    const stdOutListener = (data) => {
      stdout += stdoutDecoder.write(data);
      if (originalStdoutListener) {
        originalStdoutListener(data);
      }
    };
    const listeners = Object.assign(Object.assign({}, options === null || options === void 0 ? void 0 : options.listeners), { stdout: stdOutListener, stderr: stdErrListener });
    const exitCode = yield exec(commandLine, args2, Object.assign(Object.assign({}, options), { listeners }));
    stdout += stdoutDecoder.end();
    stderr += stderrDecoder.end();
    return {
      exitCode,
      stdout,
      stderr
    };
  });
}

// src/io/shellcheck.ts
import fs6 from "node:fs";
import os2 from "node:os";
import path9 from "node:path";

// src/core/shellcheck.ts
var HEREDOC_ONLY_RE2 = /^\s*<<-?\s*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1\s*$/;
var DIALECTS = { sh: "sh", ash: "sh", busybox: "sh", bash: "bash", dash: "dash", ksh: "ksh", zsh: "bash" };
function dialectOf(model, instr) {
  const shell = model.shellFor(instr);
  if (!shell) return "sh";
  return DIALECTS[(shell[0] ?? "").split("/").pop() ?? ""];
}
function declaredNames(model, instr) {
  const names = /* @__PURE__ */ new Set();
  for (const i2 of model.instructions) {
    if (i2.index >= instr.index) break;
    if (i2.keyword === "ARG" || i2.keyword === "ENV") {
      for (const p of i2.pairs) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.key)) names.add(p.key);
    }
  }
  return [...names];
}
function shellcheckInputs(model) {
  const out2 = [];
  for (const instr of model.instructions) {
    if (instr.keyword !== "RUN" || instr.json) continue;
    if (!model.shellOf(instr)) continue;
    const dialect = dialectOf(model, instr);
    if (!dialect) continue;
    const hd = instr.heredocs;
    const body2 = hd.length === 1 && HEREDOC_ONLY_RE2.test(instr.rest) ? hd[0].body : instr.rest + (hd.length ? "\n" + hd.map((h) => h.body + h.name + "\n").join("") : "");
    const names = declaredNames(model, instr);
    out2.push({ instr: instr.index, dialect, script: `export ${names.length ? names.join(" ") : "_"}
${body2}` });
  }
  return out2;
}
function mapComments(model, input, comments) {
  const instr = model.instructions[input.instr];
  const hd = instr.heredocs;
  const heredocOnly = hd.length === 1 && HEREDOC_ONLY_RE2.test(instr.rest);
  const firstLineLen = instr.rest.length;
  const toLine = (scriptLine, column) => {
    const l = scriptLine - 1;
    if (l < 1) return instr.line;
    if (heredocOnly) return hd[0].line + l - 1;
    if (l === 1) return instr.lineAt(instr.restOffset + Math.min(column - 1, firstLineLen));
    return Math.min(hd.length ? hd[0].line + l - 2 : instr.endLine, instr.endLine);
  };
  return comments.filter((c) => c.line > 1).map((c) => {
    const line = toLine(c.line, c.column);
    return {
      line,
      endLine: Math.max(line, toLine(c.endLine, c.column)),
      column: 1,
      level: ["error", "warning", "info", "style"].includes(c.level) ? c.level : "warning",
      code: c.code,
      message: c.message
    };
  });
}

// src/io/shellcheck.ts
var EXCLUDE = "SC1090,SC1091";
async function shellcheckAvailable() {
  try {
    const r = await getExecOutput("shellcheck", ["--version"], { silent: true, ignoreReturnCode: true });
    return r.exitCode === 0;
  } catch {
    return false;
  }
}
async function runShellcheck(models) {
  const out2 = /* @__PURE__ */ new Map();
  const dir = fs6.mkdtempSync(path9.join(os2.tmpdir(), "container-guard-sc-"));
  try {
    const jobs = [];
    models.forEach((model, m) => {
      shellcheckInputs(model).forEach((input, k) => {
        const name2 = `${m}-${k}.sh`;
        fs6.writeFileSync(path9.join(dir, name2), input.script);
        jobs.push({ model, input, name: name2 });
      });
    });
    const byDialect = /* @__PURE__ */ new Map();
    for (const j of jobs) byDialect.set(j.input.dialect, [...byDialect.get(j.input.dialect) ?? [], j]);
    const chunks = [];
    const cores = Math.max(1, os2.availableParallelism?.() ?? os2.cpus().length);
    for (const [dialect, group] of byDialect) {
      const size = Math.ceil(group.length / cores);
      for (let i2 = 0; i2 < group.length; i2 += size) chunks.push({ dialect, group: group.slice(i2, i2 + size) });
    }
    const outputs = await Promise.all(
      chunks.map(async ({ dialect, group }) => {
        const r = await getExecOutput("shellcheck", ["--format=json1", `--shell=${dialect}`, `--exclude=${EXCLUDE}`, ...group.map((j) => j.name)], {
          cwd: dir,
          silent: true,
          ignoreReturnCode: true
        });
        if (r.exitCode > 1) throw new Error(`shellcheck failed (exit ${r.exitCode}): ${r.stderr.trim().split("\n")[0] ?? ""}`);
        return { group, parsed: JSON.parse(r.stdout || '{"comments":[]}') };
      })
    );
    for (const { group, parsed } of outputs) {
      const byFile = /* @__PURE__ */ new Map();
      for (const c of parsed.comments) byFile.set(c.file, [...byFile.get(c.file) ?? [], c]);
      for (const j of group) {
        const comments = byFile.get(j.name);
        if (!comments) continue;
        const ext2 = out2.get(j.model.file) ?? { shellcheck: /* @__PURE__ */ new Map() };
        ext2.shellcheck?.set(j.input.instr, mapComments(j.model, j.input, comments));
        out2.set(j.model.file, ext2);
      }
    }
  } finally {
    fs6.rmSync(dir, { recursive: true, force: true });
  }
  return out2;
}

// src/io/lint-run.ts
var UsageError = class extends Error {
};
async function shellcheckPass(inputs, config) {
  const mode = config.lint.shellcheck;
  if (mode === "off") return void 0;
  if (!await shellcheckAvailable()) {
    if (mode === "on") throw new UsageError('lint.shellcheck is "on" but shellcheck is not on PATH (install it, or set lint.shellcheck: auto)');
    return void 0;
  }
  const models = [];
  for (const { file, content } of inputs) {
    if (typeof content !== "string" && (content.byteLength > config.lint.maxFileSize || content.subarray(0, 8192).includes(0))) continue;
    const text = typeof content === "string" ? content : new TextDecoder("utf-8").decode(content);
    models.push(parseDockerfile(file, text, { buildArgs: config.lint.buildArgs, targets: config.lint.targets }));
  }
  return runShellcheck(models);
}
async function runLint(opts2) {
  await loadShellParser();
  const { files, missing } = discover(opts2.cwd, opts2.paths, opts2.config.lint.include, opts2.config.lint.exclude);
  if (missing.length > 0) throw new UsageError(`no such file or no match: ${missing.join(", ")}`);
  const selected = opts2.shard ? shardFiles(files, parseShard(opts2.shard)) : files;
  const unreadable = [];
  const inputs = [];
  for (const file of selected) {
    try {
      inputs.push({ file, content: fs7.readFileSync(path10.resolve(opts2.cwd, file)) });
    } catch (e) {
      unreadable.push({ file, message: `cannot read: ${e.code ?? e.message}` });
    }
  }
  const external = await shellcheckPass(inputs, opts2.config);
  let done = 0;
  const report = lintAll(
    (function* () {
      for (const input of inputs) {
        opts2.onProgress?.(++done, inputs.length);
        yield input;
      }
    })(),
    opts2.config,
    opts2.rules,
    { external }
  );
  report.errors.push(...unreadable);
  return report;
}

// src/cli.ts
var HELP = `container-guard ${TOOL.version}

Usage:
  container-guard lint [PATH|GLOB...] [options]
  container-guard rules [--format text|markdown|json]

lint options:
  -f, --format text|json|sarif   output format (default text)
  -c, --config FILE              config file (default .container-guard.yml if present)
      --fail-on LEVEL            error|warning|note|none (default error)
  -o, --output FILE              write the report to FILE instead of stdout
      --build-arg KEY=VALUE      resolve ARGs as docker build --build-arg would (repeatable)
      --shard K/N                lint only shard K of N (for CI matrices)
      --shellcheck auto|on|off   check RUN scripts with shellcheck (auto: when on PATH)
      --no-color                 plain text output
  -h, --help                     this help
  -v, --version                  print the version

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, config or parse error.
`;
function fail(message) {
  process.stderr.write(`container-guard: ${message}
`);
  return 2;
}
async function lint(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: "string", short: "f", default: "text" },
      config: { type: "string", short: "c" },
      "fail-on": { type: "string", default: "error" },
      output: { type: "string", short: "o" },
      "build-arg": { type: "string", multiple: true, default: [] },
      shard: { type: "string" },
      shellcheck: { type: "string" },
      "no-color": { type: "boolean", default: false }
    }
  });
  const format = values.format;
  if (!["text", "json", "sarif"].includes(format)) return fail(`unknown --format "${format}" (text, json or sarif)`);
  let threshold;
  try {
    threshold = parseThreshold(values["fail-on"]);
  } catch (e) {
    return fail(`--fail-on: ${e.message}`);
  }
  const cwd = process.cwd();
  let config = readConfig(cwd, values.config, BUILTIN_RULES);
  if (values.shellcheck) {
    if (!["auto", "on", "off"].includes(values.shellcheck)) return fail(`unknown --shellcheck "${values.shellcheck}" (auto, on or off)`);
    config = { ...config, lint: { ...config.lint, shellcheck: values.shellcheck } };
  }
  const buildArgs = values["build-arg"].join("\n");
  if (buildArgs) config = withBuildArgs(config, parseBuildArgs(buildArgs, "--build-arg"));
  const tty = process.stderr.isTTY === true;
  const report = await runLint({
    cwd,
    paths: positionals,
    config,
    rules: BUILTIN_RULES,
    shard: values.shard,
    onProgress: tty ? (done, total) => total >= 50 && (done % 25 === 0 || done === total) && process.stderr.write(`\rlinting ${done}/${total}${done === total ? "\n" : ""}`) : void 0
  });
  const color = format === "text" && !values["no-color"] && !values.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
  const out2 = format === "json" ? formatJson(report) : format === "sarif" ? formatSarif(report) : formatText(report, { color });
  if (values.output) {
    writeFileAtomic(values.output, out2.endsWith("\n") ? out2 : out2 + "\n");
    process.stderr.write(`container-guard: wrote ${values.output} (${report.findings.length} findings in ${report.files.length} files)
`);
  } else process.stdout.write(out2.endsWith("\n") ? out2 : out2 + "\n");
  if (report.errors.length > 0) return 2;
  return report.findings.some((f) => atOrAbove(f.severity, threshold)) ? 1 : 0;
}
function rules(argv) {
  const { values } = parseArgs({ args: argv, options: { format: { type: "string", short: "f", default: "text" } } });
  const format = values.format;
  if (!["text", "markdown", "json"].includes(format)) return fail(`unknown --format "${format}" (text, markdown or json)`);
  process.stdout.write(
    formatRuleList(
      BUILTIN_RULES.map((r) => r.meta),
      format
    )
  );
  return 0;
}
async function main(argv) {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "lint":
        return await lint(rest);
      case "rules":
        return rules(rest);
      case "-v":
      case "--version":
        process.stdout.write(`${TOOL.version}
`);
        return 0;
      case void 0:
      case "-h":
      case "--help":
      case "help":
        process.stdout.write(HELP);
        return command === void 0 ? 2 : 0;
      case "verify":
      case "gate":
      case "comment":
        return fail(`"${command}" is not available in this version yet; see the README for the roadmap`);
      default:
        return fail(`unknown command "${command}"

${HELP}`);
    }
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError) return fail(e.message);
    if (e instanceof TypeError && e.code?.startsWith("ERR_PARSE_ARGS")) return fail(`${e.message}

${HELP}`);
    if (e instanceof Error && /^invalid shard/.test(e.message)) return fail(e.message);
    throw e;
  }
}
function isEntryPoint() {
  try {
    return process.argv[1] !== void 0 && realpathSync(process.argv[1]) === realpathSync(fileURLToPath2(import.meta.url));
  } catch {
    return false;
  }
}
if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`container-guard: internal error: ${e?.stack ?? String(e)}
`);
      process.exitCode = 2;
    }
  );
}
