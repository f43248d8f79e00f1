// Package plan turns a decomposition into the plan that `decompose
// analyze` writes as plan.yaml and plan.json, schema decompose/v1. The
// plan is a public interface: `decompose scaffold` starts from a saved
// plan.yaml and the evaluation scorer reads it. Keys are only ever added
// within a version; a key that changes meaning or disappears makes a new
// schema.
//
// Build is a pure function of the model, the decomposition and the
// migration settings;
// MarshalYAML and MarshalJSON render a plan to bytes, deterministically
// (fields in the order below, lists sorted, map keys sorted).
//
// # Keys
//
//	schema         "decompose/v1".
//	module         the main module's path (the first, for a workspace).
//	root           the common path prefix of the analyzed packages.
//	contexts       the proposed bounded contexts, sorted by name; each has
//	  name           unique, lower-case letters and digits, a valid
//	                 directory and Go identifier, from the context's
//	                 dominant vocabulary (or its pin's name).
//	  pinned         true when the name comes from a pin in decompose.yaml.
//	  packages       the package paths wholly in the context.
//	  members        the parts of split packages in the context, each
//	    package        the split package's path, and
//	    decls          its declarations here, by name within the package:
//	                   "PlaceOrder", "OrderStore", "Server.PlaceOrder".
//	  entry_points   the entry points the context serves, each with kind
//	                 (main, init, http, grpc, consumer, background),
//	                 method and route (http; route is the service for
//	                 grpc), decl (the handler's ID), package, framework,
//	                 ticker (background work on a ticker or timer), once
//	                 (timed work that runs once after a delay, such as
//	                 time.AfterFunc: a delayed one-off, not a schedule),
//	                 args (for once: the values its function captured,
//	                 "name type", which a delayed message must carry) and
//	                 pos ("file:line:col" from the root).
//	  vocabulary     the context's most distinctive domain words, best
//	                 first.
//	  metrics        the context's metrics: packages, decls (declarations
//	                 placed in it), cohesion (W_in / (W_in + W_out)),
//	                 coupling (W_out / W), interfaces (its declarations
//	                 used by other contexts), depends_on and
//	                 depended_on_by (context names); see
//	                 cluster.ContextMetrics.
//	  explanation    one entry per unit placed in the context: each of its
//	                 packages, and each declaration of a split package
//	                 (see Units below).
//	shared_kernel  every package placed wholly outside the contexts: the
//	               shared kernel and infrastructure together.
//	kernel
//	  infrastructure the packages of shared_kernel that are technical
//	                 (logging, configuration, database plumbing,
//	                 transport) or composition roots wiring several
//	                 contexts; the others are the domain's shared kernel.
//	  members        declarations of split packages kept shared, as in
//	                 contexts (such as a Server type whose methods serve
//	                 different contexts).
//	  explanation    one entry per kernel package and kernel declaration.
//	split          the packages whose declarations are spread over
//	               contexts (and the kernel).
//	ignored        packages left out by the ignore patterns.
//	ignored_decls  declarations of kept packages left out by them.
//	borderline     the placements with a margin below config.borderline,
//	               thinnest first, for a human to decide (Units below).
//	metrics        the run's metrics: contexts, units (declarations in
//	               contexts), kernel_units, resolution, modularity (Q),
//	               structural_modularity (SM), icp, ifn, ned; each is
//	               defined exactly in cluster.Metrics.
//	config         the clustering configuration used, defaults filled in:
//	               weights (call, dynamic_call, ref, type_ref,
//	               implements, shared_data, shared_table, receiver, file,
//	               proximity, vocabulary, generated, cochange,
//	               hub_damping), resolution, contexts, pin, apart,
//	               shared_kernel, ignore, stop_words, borderline,
//	               kernel_spread, cohesive, seed, cochange (enabled,
//	               commits, max_files, min_support: whether the git
//	               history's co-change signal was used, and its limits).
//	warnings       problems that did not stop the run.
//
// # Units
//
// An explanation or borderline entry has
//
//	unit          the package path or declaration ID placed.
//	package       for a declaration, its package.
//	decl          for a declaration, its name within the package.
//	context       where it is placed (absent for the kernel).
//	reason        signals, pinned, configured-kernel,
//	              used-by-most-contexts, composition-root,
//	              methods-serve-several-contexts, service-folder (kept
//	              with the rest of its service folder),
//	              library-owns-nothing (kernel: no entry point, table or
//	              home of its own, used by several contexts or none) or
//	              unconnected.
//	score         its affinity to its context: the summed weight of its
//	              signals towards units there.
//	second        the best other context, and second_score its affinity.
//	margin        (score − second_score) / score: 1 when nothing pulls
//	              elsewhere, negative when placed against its own
//	              strongest pull (by its package's or type's majority).
//	evidence      the strongest signals towards its context, strongest
//	              first: kind (call, dynamic-call, ref, type-ref,
//	              implements, read, write, table, receiver, same-file,
//	              co-change, path, vocabulary), from, to (the shared word
//	              for path and vocabulary, the two files for co-change)
//	              and weight.
//	used_by       for kernel units, the contexts using them.
//
// # Findings
//
// findings lists the state that blocks or complicates stateless
// extraction, worst first (blocker, warning, info), then by position. Each
// has
//
//	check         the check that found it (global-mutable, global-singleton,
//	              global-init-only, global-mutex, field-mutable,
//	              cache-library, goroutine, timer, file-write, sql-dynamic,
//	              sql-unparsed; see package analysis/state), or
//	              shared-table for a table several contexts touch.
//	title         the check's title.
//	severity      blocker, warning or info; basis says why.
//	pos           file:line:col relative to the module or workspace root.
//	object        what holds the state: pkg.var, pkg.Type.field, the
//	              function a goroutine runs, a file path, table:NAME.
//	contexts      every context whose code touches it (shared-kernel for
//	              the kernel); writers the contexts that write it while
//	              serving (not at initialisation or start-up, which each
//	              service repeats); readers those that read it. State
//	              written by one context and read by another is a blocker.
//	decl, phase   for a site (a go statement, a file write): the
//	              declaration holding it and when it runs (init, startup,
//	              request, background, unknown).
//	path          a call path that reaches it: the entry point (a route,
//	              main, background) then declarations.
//	message, why, remedy
//	              what was found, why it blocks stateless execution, and
//	              the managed service that replaces it.
//
// The per-query SQL findings of the model are summarised by
// data_ownership: one row per table with access (context → r, w or rw),
// owner (the only context writing it; the shared kernel's accesses, such as
// schema migrations run by the composition root, are listed but own
// nothing) and shared (written by several contexts: a
// blocker finding of check shared-table; a table read directly by a
// context other than its owner is a warning).
//
// # Contracts
//
// contracts lists every call from one context into another (static or
// dynamic; calls into or out of the shared kernel stay in-process): from
// and to (contexts), caller and callee (declaration IDs), signature (the
// callee's type, which the remote API carries), sites (call sites; pos is
// the first), async (sites in a go statement or discarding every result)
// and style: async (an event or queue message) when every site is async,
// else sync (request/response).
//
// # Migration
//
// Four keys hold the migration, computed by Build from the keys above
// (Plan.Migrate computes them again for a plan edited or read back); every
// rule, score and formula is documented in the sections after them:
//
//	summary        one entry per context, in the order of contexts:
//	  context        its name.
//	  size           packages (wholly in it), split_packages (parts of
//	                 split packages), decls, and lines (its whole
//	                 packages' files plus its declarations in split
//	                 packages).
//	  entry_points   counts: routes (HTTP), rpc (gRPC services),
//	                 consumers, jobs (background work the program starts),
//	                 timed (jobs driven by a ticker or timer), other (main
//	                 and init).
//	  coupling       calls with other contexts (the kernel's do not
//	                 count): inbound_sites, inbound_calls (distinct
//	                 caller → callee pairs), inbound_sync (sites that wait
//	                 for the result), outbound_sites, outbound_calls,
//	                 callers and callees (context names).
//	  blockers, warnings
//	                 the findings involving it.
//	  runtime        target (function: a function-as-a-service;
//	                 container: a serverless container; stateful: a
//	                 service on dedicated compute) and reasons, the rules
//	                 that fired, the deciding ones first, each with rule,
//	                 target (absent for a note) and detail.
//	  step           the order of the step that extracts it.
//	cycles         the dependency cycles between contexts: contexts that
//	               call each other, directly or through one another (calls
//	               with the shared kernel take no part); absent when there
//	               is none. Sorted by their first context; each has
//	  contexts       its contexts, sorted by name.
//	  synchronous    true when request/response calls alone close a loop
//	                 among them: a context on that loop cannot leave the
//	                 monolith while another stays without a distributed
//	                 cycle. False when every loop passes through an event:
//	                 it blocks nothing.
//	  edges          the calls between its contexts, one per ordered pair,
//	                 by from then to: from, to (contexts), calls (distinct
//	                 caller → callee pairs), sites, async (sites that do
//	                 not wait) and style (async when every site is fire and
//	                 forget, else sync).
//	  break          for a synchronous cycle, the sync edges to change so
//	                 that no loop of synchronous calls remains, lightest
//	                 first: from, to, sync_sites (sites that wait), callees
//	                 (declaration IDs, most sites first) and suggestion (make
//	                 it asynchronous, or invert it).
//	  note           what the cycle means for the migration.
//	steps          the strangler-fig steps, in order; each has
//	  order, context, runtime
//	  score          the ordering score when it was chosen (lowest first)
//	                 and score_basis, its terms spelt out.
//	  moves          packages, members (parts of split packages, as in
//	                 contexts), entry_points, decls and lines.
//	  remote_calls   every call between the context and the monolith that
//	                 becomes remote in this step: direction (out: the
//	                 context calls the monolith; in: the other way), from
//	                 and to (contexts), caller and callee (declaration
//	                 IDs), signature, pos (the first call site), sites,
//	                 async, and contract: request-response when some site
//	                 uses the result, event when every site is
//	                 fire-and-forget.
//	  repointed      calls with contexts extracted in earlier steps,
//	                 remote already, that now reach the new service: from,
//	                 to, calls, sites.
//	  externalise    the state to move out of process first: the blocker
//	                 and warning findings involving the context, each with
//	                 severity, check, object, pos, contexts and remedy.
//	  tables         each table the context touches: table, access (r, w,
//	                 rw), owner, others (the other contexts touching it),
//	                 action (move, hand-over, split, read-through-owner)
//	                 and detail.
//	  risk, effort   level (risk: low, medium, high; effort: S, M, L, XL),
//	                 points (effort) and basis; a risk basis names the
//	                 synchronous cycle the context lies on with contexts
//	                 still in the monolith, and its break.
//	  verify         checks, each with kind (contract-test,
//	                 shadow-traffic, multi-instance, data, rollback) and
//	                 what.
//	  remaining      the monolith after the step: contexts, packages,
//	                 lines, entry_points (the shared kernel's included) and
//	                 a note.
//	cost           a sketch comparing pay-per-use with always-on
//	               provisioning per month, never a quote:
//	  note           says so, and what it leaves out.
//	  assumptions    the rates and prices used (the cost: key of
//	                 decompose.yaml, defaults filled in): currency,
//	                 requests_per_month, avg_duration_ms, memory_mb,
//	                 price_per_gb_second, price_per_million_requests,
//	                 instance_price_per_hour, instances, hours_per_month.
//	  contexts       per context: context, runtime, the rates used
//	                 (requests_per_month, avg_duration_ms, memory_mb,
//	                 instances; configured when decompose.yaml gives the
//	                 context its own), pay_per_use, always_on,
//	                 break_even_requests (the monthly requests at which
//	                 both cost the same) and cheaper.
//	  pay_per_use, always_on
//	                 the totals over the contexts.
//	  warnings       rates given for contexts the plan does not have.
//
// # How the migration is worked out
//
// From the monolith to the proposed contexts: each context at a glance
// with its target runtime, the dependency cycles between contexts, the
// ordered strangler-fig steps, and a cost sketch. Migrate reads the plan
// (its contexts, findings, contracts and data ownership) and the model
// the plan was made from, and fills the summary, cycles, steps and cost
// keys. Every function is pure and
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
//	                 stall their request paths. With a CPU profile
//	                 (Config.Measured) the profile decides instead: the
//	                 context takes hot_path_cpu_share (0.4) of the
//	                 observed CPU or more, and no p99 target of its
//	                 routes is looser than its cold start (cold_start_ms,
//	                 300, plus the init time the profile measured).
//	break-even       → stateful or function, with a traffic file: the
//	                 context's monthly requests (its entry points' rates)
//	                 against the break-even of the cost sketch at its
//	                 observed CPU per request; at or past it provisioned
//	                 capacity is cheaper (stateful), below it paying per
//	                 use (function). The reason gives both rates.
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
//
// # Observed load
//
// Given a CPU profile and a traffic file (Config.Measured, from package
// analysis/evidence), the plan's observed key holds, per context, its CPU
// time and share, its request rate, its CPU per request (its CPU time
// over the requests to its entry points during the profile) and its
// cold-start exposure (init functions and start-up objects, and the init
// time measured); per traffic row, the entry point and its handler's CPU
// per request. The cost sketch then takes a context's requests from the
// traffic file, its CPU per request as the duration (a lower bound of the
// billed time), and as many instances as its observed CPU needs
// (vcpus_per_instance each, instances at least), and gives the break-even
// as a rate beside the observed one.
package plan
