"""Issue 10's "less code than before for the same features", counted in Java tokens instead of lines, so that
reformatting (joining lines, chaining calls) cannot move the number. Same file groups, same feature-commit list and
same git-blame split as engine-trim-lines.py, which this script reads. Comments and whitespace are not tokens; a
string literal is one token.

Run from the repository root: python3 docs/progress/2026-12-03/engine-trim-tokens.py [REV ...]
(default 9aa126a and the working tree; the blame split is of HEAD).
"""
import bisect
import collections
import re
import subprocess
import sys

src = open('docs/progress/2026-12-03/engine-trim-lines.py').read()
exec(src[:src.index('res = {}')])  # RULES, files(), group() without running the line tables
FEATURE = set(src[src.index("FEATURE = set('''") + 16: src.index("'''.split())")].split())
TOK = re.compile(r'''//[^\n]*|/\*.*?\*/|"""(?:.|\n)*?"""|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|[A-Za-z_$][\w$]*'''
                 r'''|\d[\w.]*|->|::|[^\s\w]''', re.S)


def text(rev, f):
    if rev == 'WORKTREE':
        try:
            return open(f).read()
        except FileNotFoundError:
            return ''
    return subprocess.check_output(['git', 'show', rev + ':' + f], text=True)


def tokens(t):
    return [m for m in TOK.finditer(t) if not m.group().startswith(('//', '/*'))]


for rev in sys.argv[1:] or ['9aa126a', 'WORKTREE']:
    old = new = 0
    for f in files(rev):
        g = group(f)
        if g:
            n = len(tokens(text(rev, f)))
            if g.startswith('new:'):
                new += n
            else:
                old += n
    print(f'{rev}: old-feature files {old} tokens, new-feature files {new} tokens')

base = set(subprocess.check_output(['git', 'rev-list', '9aa126a'], text=True).split())
short = {}
split = collections.Counter()
for f in files('WORKTREE'):
    g = group(f)
    if not g or g.startswith('new:'):
        continue
    t = text('HEAD', f)
    starts = [0] + [i + 1 for i, ch in enumerate(t) if ch == '\n']
    per_line = collections.Counter(bisect.bisect_right(starts, m.start()) for m in tokens(t))
    blame = subprocess.check_output(['git', 'blame', '--line-porcelain', 'HEAD', '--', f], text=True)
    for m in re.finditer(r'^([0-9a-f]{40}) \d+ (\d+)', blame, re.M):
        c = m.group(1)
        if c in base:
            kind = 'unchanged since 9aa126a'
        else:
            short.setdefault(c, subprocess.check_output(['git', 'rev-parse', '--short=7', c], text=True).strip())
            kind = 'feature commits' if short[c] in FEATURE else 'restructuring commits'
        split[kind] += per_line[int(m.group(2))]
print('blame split of the old-feature files (HEAD), tokens:', dict(split))
print('the features that existed before, as code now:',
      split['unchanged since 9aa126a'] + split['restructuring commits'], 'tokens')
