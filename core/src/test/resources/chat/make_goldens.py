#!/usr/bin/python3
"""Renders every template in templates/ for every conversation in cases.json, with and without the
generation prompt, the way transformers' apply_chat_template does (chat_template_utils.py: a jinja2
ImmutableSandboxedEnvironment with trim_blocks, lstrip_blocks and loop controls, raise_exception and a
json.dumps tojson; the tokenizer's special tokens and tools=None as variables), and writes goldens.json.
A template that raises records {"error": message}. Run with Debian's python3-jinja2:

    /usr/bin/python3 core/src/test/resources/chat/make_goldens.py
"""

import json
import os

import jinja2
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = os.path.dirname(os.path.abspath(__file__))


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    return env


def main():
    with open(os.path.join(HERE, "cases.json"), encoding="utf-8") as f:
        cases = json.load(f)
    env = environment()
    out = {"jinja2_version": jinja2.__version__, "renders": []}
    for name in sorted(cases["tokens"]):
        with open(os.path.join(HERE, "templates", name + ".jinja"), encoding="utf-8") as f:
            template = env.from_string(f.read())
        tokens = cases["tokens"][name]
        for conv in sorted(cases["conversations"]):
            for add in (False, True):
                entry = {"template": name, "conversation": conv, "add_generation_prompt": add}
                try:
                    entry["prompt"] = template.render(messages=cases["conversations"][conv], tools=None,
                                                      add_generation_prompt=add, **tokens)
                except jinja2.exceptions.TemplateError as e:
                    entry["error"] = str(e)
                out["renders"].append(entry)
    with open(os.path.join(HERE, "goldens.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
