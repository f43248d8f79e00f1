// Package cluster proposes how to split a program into bounded contexts:
// candidate services, a shared kernel, and the packages to split between
// them. It reads the plain-data model of package analysis and nothing
// else (no go/types, no SSA), so it is tested with hand-built models.
//
// # Signals
//
// Declarations are joined by weighted signals, each scaled by a weight of
// Config.Weights:
//   - the model's edges: static and dynamic calls, references, type
//     references, implementations, reads and writes of package variables
//     (a variable is a node, so declarations touching the same variable
//     meet through it); a site count c weighs 1+ln(c);
//   - database tables: a declaration that reads or writes table T
//     (Model.Tables) is joined to a node "table:T", weighted by
//     Weights.SharedTable, so that declarations touching the same table
//     meet through it; extra edges (Config.Extra) join further resources
//     the same way;
//   - a method's receiver type;
//   - the same source file, and the same package;
//   - path proximity: a package's path words (below the analyzed root),
//     and at package level its service directory (see below);
//   - vocabulary: domain words shared by names, routes, file names,
//     package paths and table names, split at camelCase and snake_case,
//     stemmed (orders → order; shipping, shipment → ship; payment → pay),
//     without English, Go and infrastructure stop words, weighted by
//     rarity.
//   - co-change, when CoChange.Enabled (--cochange): source files changed
//     in the same commits (Config.History, read from Git by the caller)
//     are joined, file to file, by c_ab/√(n_a·n_b) times the smaller
//     file's number of declarations, where n_a counts the commits changing
//     a and c_ab sums 1/(k−1) over the k-file commits changing both; pairs
//     seen in fewer than MinSupport commits, and commits of more than
//     MaxFiles files, are left out. The file nodes carry it to their
//     declarations, and at package level it adds to the ties between
//     packages. It never counts as use: the kernel, utility and
//     composition-root rules and the metrics read only the model's edges.
//
// Edges into widely used declarations are divided by 1+h·ln(n), where n
// is the number of other packages (or a third of the declarations) using
// them, so that logging or error helpers do not glue contexts together.
// Edges of generated code are scaled by Weights.Generated.
//
// # Algorithm
//
// Community detection is Louvain modularity optimisation at resolution γ
// (Config.Resolution), with a node order shuffled by a fixed seed and
// every sum taken in a fixed order, so the result depends only on the
// model and the configuration. Pins and apart pairs are constraints of
// the local moving phase: two pins, or the two sides of an apart pair,
// never share a community.
//
//  1. Packages are clustered first, on their summed signals plus an edge
//     to their service directory: the first path element below the
//     analyzed root, or the first two when the first is a container such
//     as internal/, pkg/, modules/ or cmd/.
//  2. A package community lying mostly (ServiceShare) within one
//     service-named directory is a context as it stands; another whole
//     service directory that joined it keeps a context of its own. A
//     community spanning directories, or made of layer-named directories
//     (handlers/, services/, store/, models/, server/), and every package
//     at the root (often the domain model), is clustered again
//     declaration by declaration, with the contexts of step 2 as fixed
//     anchors it may join. There, the declarations of a layered package
//     are not tied to one another by their package (the root package,
//     often the domain model, is).
//  3. Among declaration communities, tiny ones join their strongest
//     neighbour, as do, beside anchors or other communities serving entry
//     points, the ones that serve none; communities lying within one
//     service directory are merged. Helpers used from many files are left
//     out of community detection and placed by who uses them: in the
//     context holding most of their use, or in the kernel when none does
//     or, for a function, when at least KernelSpread of the contexts
//     serving entry points (and three) use it. A helper that no context
//     holds most of the use of, but that the entry points of one context
//     use directly and that itself depends mostly on that context's code,
//     is that context's, not the kernel's: the kernel owns no entry point,
//     and a domain service every context calls (a notification service
//     behind its own routes and relay) is reached by its own ones through
//     it.
//  4. This is done twice. After the first pass, declarations and packages
//     that at least KernelSpread of the contexts serving entry points use,
//     and that own no entry point, go to the shared kernel when none of
//     those contexts holds most of the use, or, for a package, when it is
//     a library apart from them (none of its declarations is in one or
//     uses one: a value type such as money), or when it is technical (its
//     path names a technical concern outside service directories, and its
//     names share no domain word with other packages: logging, database
//     plumbing); the second pass clusters the rest without them.
//  5. A type goes with its methods, by their majority, unless the methods
//     that handle entry points clearly serve different contexts (a
//     handler type whose methods are registered one by one): then each
//     method stays in its context and the type goes to the kernel.
//     Methods that handle no entry point share their receiver's state (a
//     repository's database handle) and always move with it. A package
//     whose declarations are at least Cohesive in one context, or that
//     lies in a service directory, is placed whole; otherwise it is split.
//  6. Main packages (left out of steps 1–4) join the context they talk to
//     or sit beside (cmd/orders beside internal/orders); one wiring
//     several contexts, and a package nothing else uses that does, is a
//     composition root and goes to the kernel as infrastructure; one
//     talking to no context is a deployable of its own.
//  7. Once every package is placed, the declarations of split packages
//     settle, rule by rule. A unit is a type with its methods, or a
//     declaration; a context "holding no whole package" is made only of
//     declarations of split packages, and only such contexts are merged
//     or dissolved.
//     - A context holding no whole package whose entry points are all
//     background work the program starts (a relay, a batch submitter),
//     and that keeps no data of its own (writes no table no other
//     context writes), joins the context it is most tied to: a job
//     working on another context's data is deployed with it.
//     - A context holding no whole package whose declarations are tied
//     to the kernel more than twice as much as to one another (a health
//     endpoint, a logging middleware, the constructor wiring every
//     service) joins the kernel.
//     - A context holding no whole package that serves no entry point of
//     its own (none of its entry declarations is tied to the rest of
//     it) and is less than half as large as the average context that
//     does is no service: its units move to the context their calls,
//     references and types pull them to most, else (entry handlers
//     excepted) their words and file, else to the kernel; in passes, so
//     that units tied only to one another follow the first ones.
//     - The helper and data-type rules of step 3 apply again, now that
//     the helpers' users (often helpers themselves, left out of
//     community detection) are placed: a function that KernelSpread of
//     the contexts serving entry points (and three) use joins the
//     kernel; a type that serves no entry point goes to the context
//     that uses it most when that context uses it more than its own
//     does, or to the kernel when KernelSpread of them (and three) use
//     it and none holds most of the use, unless its own context's entry
//     points use it directly.
//     - A declaration a kernel declaration uses that uses no context
//     joins the kernel (the kernel cannot depend on a context), unless it
//     is a value (variable or constant) that the kernel only reads, that
//     one context uses, and whose file lies in that context at least as
//     much as in the kernel: an error sentinel a status mapper compares
//     with is that context's published language, and goes with it.
//     - A unit that only one other context uses (main packages aside),
//     that the kernel does not use, and that its own context ties to
//     only by data (constants, variables and types it reads; no call),
//     joins its users, unless its file lies more in its own context than
//     in theirs: a helper belongs to its callers, not to the vocabulary
//     it reads.
//     - Groups of declarations tied by calls, references, types and
//     variables to the kernel (main included) and to no context but
//     among themselves (a middleware and its response writer) join the
//     kernel; units handling entry points stay.
//     - A declaration that no call, reference or type ties to its
//     context moves to the context its signals pull it to most.
//     - A typed constant goes with its type: the values of an
//     enumeration are part of its definition, as methods are.
//  8. With Config.Contexts = N, resolutions around γ are tried; the
//     partition with the fewest contexts at or above N is kept and its
//     most densely coupled contexts merged down to N (or its largest
//     split when no resolution gives N).
//
// Kernel packages are told apart as infrastructure when their path names
// a technical concern (log, config, db, server, inmem, ...), when they import
// logging, database, messaging or telemetry libraries and have no domain
// words in their name, or when they are composition roots.
//
// A context anchored in a service directory named by a domain word (the
// directory holding most of its whole packages' declarations, and most
// of whose declarations it holds) takes that directory's name: catalog
// for catalog/ and catalog/search, cart for src/cartservice. Any other
// context is named from its most distinctive word, tf·ln(1+K/cf), in the
// form it is most often written (directory and route names count most).
//
// Every unit (each package, and each declaration of a split package) is
// explained by its affinity to every context; the strongest signals, the
// second-best context and the margin are reported, and thin margins are
// listed as borderline. The metrics are defined in Metrics and
// ContextMetrics.
package cluster
