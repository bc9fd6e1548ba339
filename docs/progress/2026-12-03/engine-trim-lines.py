"""Line accounting for issue 10's criterion "less code than before for the same features" (engine-trim, 2026-12-03).

Run from the repository root: python3 docs/progress/2026-12-03/engine-trim-lines.py [REV ...]
(default revisions: 9aa126a, the end of round 1, and the working tree, WORKTREE).

1. Main-source lines (every line of a .java file: code, comments, blanks) per feature group. A file counts whole in
   one group; a file that serves an old feature but also carries new options (GenerateCommand's --chat, HubCommand's
   upload/download verbs, ...) counts whole in the old feature, which overstates the old features' code.
2. For the old-feature files of the working tree, git blame splits their lines into: unchanged since 9aa126a,
   written by commits that restructured (the service layer, one model source, renderers, clean-ups, merges), and
   written by commits that added a capability (listed in FEATURE).
"""

import collections
import re
import subprocess
import sys
C = 'core/src/main/java/io/jneuron/core/'
M = 'magics/src/main/java/io/jneuron/magics/'
K = 'kernel/src/main/java/io/jneuron/kernel/'
# (group, glob) in order; the first match wins. 'new:' groups are features added since 9aa126a.
RULES = [
 ('new: encoder pipeline', [C+'pipeline/*', C+'cli/PipelineCommand.java', C+'service/PipelineService.java',
   C+'export/EncoderEntries.java', C+'backend/EncoderRunner.java', M+'NeuronPipelineMagic.java']),
 ('new: hub upload/download, --push_to_hub', [C+'hub/HubFolders.java', C+'service/HubService.java']),
 ('new: generation_config defaults', [C+'generate/GenerationOptions.java', C+'generate/GenerationSettings.java']),
 ('new: --auto_cast (optimum option)', [C+'export/AutoCast.java']),
 ('new: verify of module artifact digests', [C+'cache/internal/ModuleDigests.java']),
 ('new: Hub download limits', [C+'hub/DownloadLimits.java']),
 ('new: shared cache folders (setgid group)', [C+'files/SharedFolders.java']),
 ('new: `backend` verb', [C+'cli/BackendCommand.java', C+'service/BackendList.java']),
 ('new: JShell API (Jneuron)', [C+'service/Jneuron.java']),
 ('new: bench --against', [C+'cli/BenchPair.java']),
 ('new: notebook charts', [M+'render/Charts.java']),
 ('new: kernel magics (%maven, %jars, %load, %lsmagic, completion)', [K+'magic/*']),
 ('front ends: CLI plumbing, rendering, magics', [C+'files/AtomicFiles.java', C+'cache/internal/AtomicFiles.java',
   C+'hub/internal/AtomicFiles.java']),
 ('model source (resolver)', [C+'model/ModelResolver.java', C+'model/ModelSource.java', C+'model/HubModels.java',
   C+'model/CheckpointFingerprint.java', C+'export/CheckpointFingerprint.java', C+'export/HubModels.java',
   C+'export/LocalModels.java', C+'cache/ModelConfigs.java']),
 ('export', [C+'export/*', C+'cli/ExportCommand.java', C+'service/ExportService.java']),
 ('cache lookup/list/status/cleanup/verify/sync', [C+'cache/*', C+'cache/internal/*', C+'cli/CacheCommand.java',
   C+'cli/CacheHubCommands.java',
   C+'service/CacheService.java', C+'service/CacheResults.java']),
 ('generate', [C+'generate/*', C+'cli/GenerateCommand.java', C+'service/GenerateService.java',
   C+'service/Generation.java']),
 ('hub client/server', [C+'hub/*', C+'hub/internal/*', C+'cli/HubCommand.java']),
 ('backends (SPI)', [C+'backend/*']),
 ('front ends: CLI plumbing, rendering, magics', [C+'cli/Main.java', C+'cli/CommonOptions.java',
   C+'cli/ShapeOptions.java',
   C+'cli/Output.java', C+'cli/ReportCommand.java', C+'cli/CommandGroup.java', C+'cli/CliExtension.java',
   C+'cli/ProgressLines.java', C+'report/*', C+'service/Context.java', C+'files/AtomicFiles.java',
   C+'cache/internal/AtomicFiles.java', C+'hub/internal/AtomicFiles.java', M+'*', M+'render/*',
   K+'WholeCellMagic.java']),
 ('bench and testing verbs', [C+'cli/BenchCommand.java', C+'cli/BenchRun.java', C+'cli/TestingCommand.java']),
]
def files(rev):
    if rev == 'WORKTREE':
        out = subprocess.check_output(['git', 'ls-files', C, M, K], text=True).split()
    else:
        out = subprocess.check_output(['git', 'ls-tree', '-r', '--name-only', rev, C, M, K], text=True).split()
    return [f for f in out if f.endswith('.java')]
def lines(rev, f):
    if rev == 'WORKTREE':
        try:
            return open(f).read().count('\n')
        except FileNotFoundError:
            return 0
    return subprocess.check_output(['git', 'show', rev + ':' + f], text=True).count('\n')
def group(f):
    for g, globs in RULES:
        for p in globs:
            # '*' stays inside one folder
            if re.fullmatch(re.escape(p).replace(r'\*', '[^/]*'), f):
                return g
    return None
res = {}
REVS = sys.argv[1:] or ['9aa126a', 'WORKTREE']
for rev in REVS:
    for f in files(rev):
        g = group(f)
        if g:
            res.setdefault(g, {}).setdefault(rev, 0)
            res[g][rev] += lines(rev, f)
revs = REVS
print('| code | ' + ' | '.join(revs) + ' |')
print('|---|' + '---|' * len(revs))
tot = {}
for g in dict.fromkeys(g for g, _ in RULES):
    r = res.get(g, {})
    print('| ' + g + ' | ' + ' | '.join(str(r.get(v, 0)) for v in revs) + ' |')
    kind = 'new' if g.startswith('new:') else 'old'
    for v in revs:
        tot.setdefault(kind, {}).setdefault(v, 0)
        tot[kind][v] += r.get(v, 0)
for k in ('old', 'new'):
    print('| **total, features that existed before** ' if k == 'old' else '| **total, new features** ', end='')
    print('| ' + ' | '.join(str(tot.get(k, {}).get(v, 0)) for v in revs) + ' |')

# 2. git blame split of the old-feature files (working tree as committed: HEAD)
base = set(subprocess.check_output(['git', 'rev-list', '9aa126a'], text=True).split())
by_commit = collections.Counter()
by_group = collections.defaultdict(collections.Counter)
for f in files('WORKTREE'):
    g = group(f)
    if not g or g.startswith('new:'):
        continue
    out = subprocess.check_output(['git', 'blame', '--line-porcelain', 'HEAD', '--', f], text=True)
    for m in re.finditer(r'^([0-9a-f]{40}) \d+ \d+', out, re.M):
        c = m.group(1)
        old = c in base
        by_group[g]['unchanged since 9aa126a' if old else 'written since']+= 1
        if not old:
            by_commit[c] += 1
for g, c in by_group.items():
    print(f'{g}: {dict(c)}')
print()
for c, n in by_commit.most_common(12):
    s = subprocess.check_output(['git', 'log', '-1', '--format=%h %s', c], text=True).strip()[:150]
    print(n, s)

# Commits since 9aa126a that added a capability (their lines inside old-feature files are new-feature code);
# the rest restructured (issue 10's layering, renderers, one model source, clean-ups) or merged.
FEATURE = set('''6988879 2ee720e ca824be 1ccf498 a2d3a2f cb62d1a 59c4c9b 3b91c78 e7399d5 5daba49 867e58f e1478d9 6320bc1
22343e6 54ef8f0 d3d9687 e4c4a1b c5a4516 00b2e91 8d8567b 6c02a10 778411d 0b95f14 a593e02 63443f1 244bbcf 22733c0
c8516b7 ca28412 a86c0d7 cb8718a 8053702'''.split())
feat = rest = 0
for c, n in by_commit.items():
    short = subprocess.check_output(['git', 'rev-parse', '--short=7', c], text=True).strip()
    if short in FEATURE:
        feat += n
    else:
        rest += n
unchanged = sum(v.get('unchanged since 9aa126a', 0) for v in by_group.values())
print(f'old-feature files now: {unchanged + feat + rest} lines = {unchanged} unchanged since 9aa126a + {rest} '
      f'written by restructuring commits + {feat} written by feature commits')
print(f'the features that existed before, as code now: {unchanged + rest} lines')
