// Memory settings that only count when given at process start. Imported first by scripts/start.ts,
// this starts the process again in place (process.execve: same pid, same stdio) with them, once.
// Measured on the demo data under bench:mixed (README, Performance):
// - V8's young generation is sized from the machine's memory: 2 × 64 MB semi-spaces on 24 GB, most
//   of it garbage waiting for the next scavenge, in the main thread and in each worker (the flag
//   is the process's: a worker's resourceLimits cannot lower it). 16 MB semi-spaces: the mixed run
//   ended at 398 MB of RSS instead of 460 with 32 MB; alternated side by side on one import, page
//   views were ×0.93–0.98 of 32 MB's and a search's CPU the same (1.48–1.52 against 1.50–1.54 ms).
// - glibc gives each thread that allocates its own malloc arena (up to 8 per core: render workers,
//   libuv's pool, V8's GC threads), and freed memory stays in them. Two arenas suffice here.
// - V8 lets its old generation grow to up to 4× what survived its last full collection while its
//   heap cap is the default one sized from the machine's memory (4 GB here), and 1.3–2× under a
//   lower cap (heap-controller.cc, MaxGrowingFactor). A 1.5 GB cap keeps the heap nearer to what
//   is live: the demo server after 10 s of searches and 10 s of page views held 480–508 MB of RSS
//   instead of 521–650. Both settings against the previous ones (32 MB, no cap), side by side:
//   page views ×0.87, ×0.98 (the longest run, 16 rounds) and ×1.02 in three runs.
// - V8 allocates the objects of an allocation site (an object or array literal) straight in the old
//   generation once nearly all of them were found alive at a scavenge ("pretenuring"). Under
//   searches at 10 clients one site was pretenured over and over (--trace-pretenuring-statistics:
//   ~108 of 108 alive at each scavenge), and what such objects point to is kept until a full
//   collection: Meilisearch's parsed answers were 614 of the 914 MB promoted (sampled heap profile).
//   That made 27 mark-compacts in 15 s, with pauses of 8–33 ms. Without pretenuring: 3, half the
//   scavenging time, server CPU per search median 1.15 ms instead of 1.37, and p99 44–59 ms instead
//   of 57–73 (searches alone). Page views' CPU per request unchanged, the mixed run's RSS after
//   perhaps 10 MB more (412–437 against 405–422 MB), alternated side by side (README, Performance).
// Anything already set (a flag in NODE_OPTIONS or on the command line, MALLOC_ARENA_MAX) is kept.
const V8_FLAGS = ['--max-semi-space-size=16', '--max-old-space-size=1536', '--no-allocation-site-pretenuring'];

/** A flag's name, whatever its spelling: `--no-x` and `--x=1` both name `--x`, and `_` is `-`. */
const flagName = (arg: string) => arg.split('=')[0]!.replace(/_/g, '-').replace(/^--no-/, '--');

const given = new Set([...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].map(flagName));
if (!process.env.DOSSIER_MEMORY_SETTINGS && typeof process.execve === 'function') {
  const flags = V8_FLAGS.filter((flag) => !given.has(flagName(flag)));
  process.execve(process.execPath, [process.execPath, ...flags, ...process.execArgv, ...process.argv.slice(1)], {
    MALLOC_ARENA_MAX: '2', ...process.env, DOSSIER_MEMORY_SETTINGS: '1',
  });
}
