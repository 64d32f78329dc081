// Memory settings that only count when given at process start. Imported first by scripts/start.ts,
// this starts the process again in place (process.execve: same pid, same stdio) with them, once.
// Measured on the demo data under bench:mixed (README, Performance):
// - V8's young generation is sized from the machine's memory: 2 × 64 MB semi-spaces on 24 GB, most
//   of it garbage waiting for the next scavenge. 32 MB semi-spaces keep the server smaller at little
//   cost in speed: page views alternated on one import gave 0.77 ms of CPU per view with 32 MB,
//   0.83 with 64 and 0.85 with 16 (more scavenges), which cost the page-view target.
// - glibc gives each thread that allocates its own malloc arena (up to 8 per core: render workers,
//   libuv's pool, V8's GC threads), and freed memory stays in them. Two arenas suffice here.
// Anything already set (a flag in NODE_OPTIONS or on the command line, MALLOC_ARENA_MAX) is kept.
const SEMI_SPACE_MB = 32;

const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
if (!process.env.DOSSIER_MEMORY_SETTINGS && typeof process.execve === 'function') {
  const flags = given.some((a) => a.startsWith('--max-semi-space-size')) ? [] : [`--max-semi-space-size=${SEMI_SPACE_MB}`];
  process.execve(process.execPath, [process.execPath, ...flags, ...process.execArgv, ...process.argv.slice(1)], {
    MALLOC_ARENA_MAX: '2', ...process.env, DOSSIER_MEMORY_SETTINGS: '1',
  });
}
