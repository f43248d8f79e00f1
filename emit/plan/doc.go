// Package plan turns a decomposition into the plan that `decompose
// analyze` writes as plan.yaml and plan.json, schema decompose/v1. The
// plan is a public interface: `decompose scaffold` starts from a saved
// plan.yaml and the evaluation scorer reads it. Keys are only ever added
// within a version; a key that changes meaning or disappears makes a new
// schema.
//
// Build is a pure function of the model and the decomposition;
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
// Four keys hold the migration, computed by package emit/migration from
// the keys above (plan.Build leaves them out; every rule, score and
// formula is documented there):
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
// Later stages add keys beside these without changing them.
package plan
