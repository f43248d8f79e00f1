// Package cluster proposes how to split a program into bounded contexts:
// candidate services, a shared kernel, and the packages to split between
// them. It reads the plain-data model of package decompose/analysis/model
// and nothing else (no go/types, no SSA), so it is tested with hand-built
// models.
//
// # Design
//
// A context is a set of code that changes together, is reached through
// entry points of its own and owns its data. Four stages find them, each
// with one objective; every rule states a property of code in general.
//
//  1. Layout (layout.go): read what the authors wrote. Folders are
//     evidence of intent, in three strengths. Compound package names
//     whose stems recur across layer folders (userbus, userapp, userdb)
//     are domain words that group packages across layers. Sibling folders
//     whose subtrees repeat one shape (<svc>/cmd, <svc>/internal/{app,
//     domain}) are service folders, unless grouping by the repeated
//     sub-folders instead fits the dependency graph better (modularity),
//     as in a hexagonal adapters/, domain/ over the same domain folders
//     (where the graph cannot tell, sub-folders named by domain words
//     found elsewhere decide). Sibling packages most of whose files
//     repeat names three siblings use (rest/order.go, store/order.go) are
//     layers when grouping their declarations by those names fits the
//     graph better than grouping by package: a layer is split, never taken
//     whole. Otherwise a package's home is its first folder that is a
//     unit: one holding code of its own, or whose children depend on one
//     another at least as much as on the rest and no two of which run
//     anything of their own (entry points). A domain word on a path
//     wins over a service folder around it. Nothing here reads a folder's
//     name against a list.
//
//  2. Communities (graph.go, packages.go, communities.go, louvain.go):
//     join what the code ties together. Declarations are joined by
//     weighted signals (Config.Weights): calls, references, type uses,
//     implementations and shared-variable access from the model (a site
//     count c weighs 1+ln c, an edge into a widely used declaration is
//     divided by 1+h·ln n); database tables and configured resources
//     (Config.Extra), a method's receiver, the same file and package,
//     path words, and domain vocabulary (identifier, route, file and
//     table words, stemmed, without stop words, weighted by rarity);
//     co-change from Git history when CoChange.Enabled. Louvain modularity
//     at resolution γ (Config.Resolution; node order shuffled by a fixed
//     seed, every sum in a fixed order) groups packages, each tied to its
//     home. A community lying mostly (ServiceShare) in one home is a
//     context; one spanning homes (a layered code base: handlers/,
//     services/ serving every context) is clustered again declaration by
//     declaration, with the first contexts as fixed anchors. Pins and
//     apart pairs are constraints of Louvain's moving phase. This is done
//     twice: what KernelSpread of the contexts serving entry points use
//     alike, owning no entry point, is set aside for the kernel first.
//
//  3. Placement (placement.go, settle.go): make every unit whole. A type
//     goes with its methods unless the methods handling entry points
//     serve different contexts (then the type is shared); a package at
//     least Cohesive in one context is placed whole, else split; a main
//     package joins the context it wires or sits beside, or is a
//     composition root (kernel) when it wires several. The declarations
//     of split packages then settle where their calls, types and data
//     pull them, by the rules under Settling.
//
//  4. Ownership (ownership.go): a service owns something. A context that
//     owns no entry point (an init function is none), no table and no
//     home the layout names is a library: it joins the shared kernel
//     when several contexts use it, or none does, and stays beside its
//     one user otherwise (a client of an outside service). A package that
//     owns nothing and that several contexts use, none of them most, is
//     kernel even when Louvain put it beside one user. A service folder
//     is held together: its packages, mains included, join the context
//     holding most of it.
//
// With Config.Contexts = N (target.go), resolutions around γ are tried;
// the partition with the fewest contexts at or above N is kept and its
// most densely coupled contexts merged down to N, or its largest split.
//
// # Settling
//
// Once every package is placed, the declarations of split packages are
// revisited by these rules, in this order (settle.go). A unit is a type
// with its methods in its context, or a declaration alone. Declarations
// that are pinned, kept apart or configured into the kernel never move,
// and a context holding one of them, or a whole package, is never merged
// or dissolved.
//
//  1. Background jobs (mergeJobs). A context that holds no whole package,
//     whose entry points are all background work the program starts (a
//     relay, a batch submitter) and that keeps no data of its own (no
//     table only it writes) joins the context it is most tied to: such a
//     job works on another context's data and is deployed with it.
//  2. Glue contexts (dissolveGlue). A context made only of declarations
//     of split packages that are tied to the kernel more than twice as
//     much as to one another, and more than to any single other context,
//     is glue (a health endpoint, a logging middleware, the constructor
//     that wires every service): it joins the kernel.
//  3. Orphans (scatterOrphans). A context that holds no whole package,
//     serves no entry point of its own (its entry declarations, if any,
//     reach none of its code: a health probe beside some shared
//     vocabulary) and is less than half as large as the average context
//     that does is no service. Each of its units moves to the context its
//     calls, references and types pull it to most, else its words and
//     file, else the kernel; in passes, so that units tied only to one
//     another follow the first ones that move.
//  4. Shared functions (shareFunctions). A function of a split package
//     that at least KernelSpread of the contexts serving entry points
//     (and three) use joins the kernel: the rule that places helpers
//     during community detection, applied again now that their users
//     (often helpers themselves, left out then) are placed.
//  5. Kernel closure (kernelClosure). A unit that a kernel declaration
//     (other than a composition root) uses and that uses no declaration
//     in a context joins the kernel: the kernel is a library every
//     service vendors, it cannot depend on one of them. A value the
//     kernel only reads, that one context uses and whose file lies in
//     that context at least as much as in the kernel, goes to that
//     context instead: an error sentinel a status mapper compares with is
//     that context's published language.
//  6. Data types (typesToUsers). A type of a split package that serves no
//     entry point (a data type, with its methods) is placed by who uses
//     it, now that every user is placed (during community detection, the
//     users that were helpers themselves did not count): in the context
//     whose code uses it most (calls of its methods, references, uses of
//     the type) when that context uses it more than its own context ties
//     it (its use there, and its own use of that context's code: a
//     service type stays with what it calls), or in the kernel when at
//     least KernelSpread of the contexts serving entry points (and three)
//     use it, none holds most of the use, and it uses no context's code.
//     A type the entry points of its own context use directly (the
//     service behind their handlers) stays.
//  7. Helpers (followUsers). A unit of a split package that only one
//     other context uses, and whose ties to its own context are data (the
//     constants, variables and types it reads, never a call), joins the
//     context that uses it: a helper belongs to its callers, not to the
//     vocabulary it reads (a contact check that switches over another
//     context's channel constants). Uses by main packages (wiring) do not
//     count; a unit the kernel uses stays, and so does one its file holds
//     (more of the file lies in its context than in the users' one). A
//     few rounds, so that what only the moved unit used can follow it.
//  8. Glue groups (detachGlue). Groups of declarations of split packages
//     that calls, references, types and variables tie to the kernel (main
//     packages included) and to no context but among themselves join the
//     kernel: a middleware with its response writer, an authenticator
//     with its constructor. Only their words or file held them in a
//     context. Units serving entry points stay: a route belongs to a
//     context.
//  9. Loose declarations (refine). A unit of a split package, or a method
//     placed apart from its type, that nothing but its file, shared words
//     or co-change holds in its context (no call, reference or type in
//     either direction) moves to the context its signals pull it to most:
//     community detection may leave a loosely tied declaration beside a
//     small community rather than a large one it is more tied to. A few
//     rounds at most.
//  10. Enumerations (constantsWithTypes). A typed constant of a split
//     package goes with its type: the values of an enumeration are part
//     of its definition, as methods are, wherever each value is used.
//
// A split package whose declarations all end up in one context, or all in
// the kernel, is then placed whole.
//
// # Kernel, names, explanations
//
// Kernel packages are infrastructure when they are composition roots,
// their path names a technical concern, or they import logging,
// database, messaging or telemetry libraries and have no domain word in
// their name. A context anchored in a home the layout names, or in a
// folder holding most of it whose last element is a domain word, takes
// that name (cart for src/cartservice, user for userbus + userapp); any
// other is named from its most distinctive word, tf·ln(1+K/cf), in the
// form most often written. Every unit (each package, and each
// declaration of a split package) is explained by its affinity to every
// context: the strongest signals, the second-best context and the
// margin; thin margins are listed as borderline. The metrics are defined
// in Metrics and ContextMetrics.
package cluster
