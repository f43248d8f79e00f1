// Package migration works out how to get from the monolith to the
// proposed contexts: each context at a glance with its target runtime, the
// dependency cycles between contexts, the ordered strangler-fig steps, and
// a cost sketch. It reads a plan (its contexts, findings, contracts and
// data ownership) and the model the plan was made from, and fills the
// plan's summary, cycles, steps and cost keys. Every function is pure and
// deterministic: lists are sorted by stable keys, and ties are broken by
// name.
//
// # Summary
//
// Per context: size (whole packages, parts of split packages,
// declarations, and lines: those of its whole packages' files plus those
// of its declarations in split packages), entry points by kind (HTTP
// routes, gRPC services, consumers, background jobs and the timed ones
// among them), coupling (call sites and distinct caller → callee pairs
// from and to other contexts, the synchronous inbound sites, the contexts
// on either side; the shared kernel is a library and does not count),
// the blocker and warning findings involving it, the target runtime with
// its reasons, and the step that extracts it.
//
// # Runtime rules
//
// Every rule below is evaluated; each that fires adds a reason naming the
// rule and the target it points to. The strongest target among them wins
// (stateful over container over function), and the deciding reasons come
// first. The thresholds are Rules, under `migration:` in decompose.yaml.
//
//	state-of-record  → stateful. At least state_of_record (1) blockers
//	                 about in-memory data (maps, slices and sync.Maps in
//	                 package variables or long-lived objects' fields, of
//	                 checks global-mutable and field-mutable; in-process
//	                 caches, check cache-library) are written by the
//	                 context while serving, and the context writes no
//	                 database table: process memory is the system of
//	                 record, and moving it out turns every access into a
//	                 network round trip. Counters and single values do
//	                 not count: they move to a store cheaply.
//	hot-path         → stateful. Other contexts wait for its results at
//	                 hot_path_sites (20) synchronous call sites or more,
//	                 from hot_path_callers (3) contexts or more, and at
//	                 least hot_path_share (0.1) of all the synchronous
//	                 call sites between contexts: a cold start would
//	                 stall their request paths.
//	library-like     → function. No entry point, no blocker and no table
//	                 written: it only answers other contexts' calls. It
//	                 suggests keeping the code a library in the shared
//	                 kernel, and a hot-path reason then decides nothing.
//	long-running     → container. A long-lived goroutine (variant
//	                 long-lived of the goroutine check) or a ticker loop
//	                 (timer variants ticker-loop and ticker) involves the
//	                 context.
//	server-loop      → container. The context runs a server loop of its
//	                 own (goroutine variant server).
//	grpc             → container. It serves gRPC: function platforms
//	                 deliver HTTP events, not HTTP/2 streams.
//	heavy-startup    → container. heavy_lines (50000) lines or more, or
//	                 heavy_startup (30) package-level objects or more built
//	                 at initialisation or start-up (global-init-only and
//	                 global-singleton findings involving it).
//	stateless        → function. When nothing stronger fired: what drives
//	                 it (routes, consumers, short jobs, calls from other
//	                 contexts) and that no work outlives a request.
//	externalise-first  a note, deciding nothing: the blockers to move out
//	                 of process before the context runs stateless.
//
// # Dependency cycles
//
// The contexts form a directed graph with an edge A → B when A has call
// sites into B (the contracts between them; the shared kernel is a
// library each service carries and takes no part). An edge sums its
// contracts: calls, sites, and async sites; it is async when every site
// is fire and forget, else sync. A cycle is a strongly connected component
// of that graph with two contexts or more, listed with every edge between
// its contexts. It is synchronous when its sync edges alone still close a
// loop, that is when the graph of sync edges has a strongly connected
// component of two contexts or more within it: a context on such a loop
// cannot leave the monolith while another stays without making a
// distributed cycle (each deploy needs the other; latency and failures
// travel both ways). A cycle whose every loop passes through an async
// edge blocks nothing.
//
// The break of a synchronous cycle is a set of its sync edges without
// which no loop of sync edges remains. While a loop remains, the lightest
// sync edge on one is cut: fewest sync sites (sites − async), then fewest
// sites, then by from and to. Then each cut edge, heaviest first, is put
// back when it closes no loop, so that none is cut in vain. Each edge of
// the break comes with the callees of its sync sites, most sites first,
// and how to change it: make it asynchronous (the callee publishes events
// and the caller keeps a read model, or the caller sends a message instead
// of waiting) or invert it (the callee pushes what the caller needs, so
// that calls run one way). Extracting the contexts together as one service
// is the other way out.
//
// Cycles are sorted by their first context, their contexts by name, their
// edges by from then to, and the break lightest first.
//
// # Ordering score
//
// Steps are chosen greedily. With M the contexts still in the monolith,
// the next step extracts the context c of M with the lowest
//
//	score(c) = inbound × Σ sites of calls from M∖{c} into c
//	         + outbound × Σ sites of calls from c into M∖{c}
//	         + blocker × (blocker findings involving c)
//	         + warning × (warning findings involving c)
//
// with weights inbound 1, outbound 0.5, blocker 5 and warning 1 (Rules
// Order). Ties go to fewer lines, then to the name. Calls with contexts
// extracted earlier are remote already and do not count. Each step records
// its score and its terms (score_basis).
//
// # A step
//
// A step lists what moves (packages, parts of split packages, entry
// points, declarations, lines); every call between the context and the
// monolith that becomes remote, in both directions, with its first site,
// caller, callee, signature, sites and contract: request-response when
// some site uses the result, event when every site is fire-and-forget;
// the calls with contexts extracted before, which only change endpoint
// (repointed); the state to externalise first (the blocker and warning
// findings involving it, with their remedies); what happens to each table
// it touches (move: it alone uses it; hand-over: it alone writes it, others
// read; split: others write it too; read-through-owner: another context
// owns it); risk and effort; checks; and the monolith that remains.
//
// Risk is high with a table to split, 3 blockers or more, or 20
// synchronous remote calls or more; medium with any blocker, synchronous
// remote call, or table to hand over or read through, or when the context
// lies on a loop of sync edges with a context still in the monolith (in
// the same strongly connected component of sync edges); low otherwise.
// Its basis lists those counts, and for such a loop the cycle, the
// contexts of the loop still in the monolith and the edges of the break
// within the loop.
//
// Effort points are
//
//	2 × remote calls + 1 × repointed context pairs + 3 × blockers
//	+ 1 × warnings + 5 × tables to split + 2 × tables to hand over or
//	read through + 1 × tables to move + ⌈lines / 1000⌉
//
// and the level S up to 10 points, M up to 30, L up to 80, XL above. The
// basis spells the sum.
//
// The checks are concrete: a contract test per callee that becomes remote
// (replayed arguments for request-response, duplicate and late delivery
// for events), shadow traffic on the routes, gRPC services, consumers and
// jobs that move (compare responses or work done before switching), a
// multi-instance check per blocker (two instances must agree; pending work
// survives a stopped instance; files outlive an instance), a data check
// per table (backfill, dual-write, counts and checksums; or no connection
// left to the monolith's database), and a way back behind a flag.
//
// # Cost sketch
//
// Per context, with its rates (CostConfig, under `cost:`; a context's own
// rates replace the defaults key by key):
//
//	pay_per_use = requests × avg_duration_ms/1000 × memory_mb/1024 × price_per_gb_second
//	            + requests/1e6 × price_per_million_requests
//	always_on   = instances × hours_per_month × instance_price_per_hour
//	break_even  = the monthly requests at which both are equal
//
// Defaults: 1,000,000 requests a month, 100 ms, 512 MB, 0.0000166667 per
// GB-second and 0.20 per million requests (a function platform's x86 list
// prices), 2 always-on instances at 0.0416 an hour (an on-demand VM with 2
// vCPUs and 4 GiB), 730 hours a month, in USD. It is a sketch, never a
// quote, and says so.
package migration
