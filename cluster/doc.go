// Package cluster proposes how to split a program into bounded contexts:
// candidate services, a shared kernel, and the packages to split between
// them. It reads the plain-data model of package analysis and nothing
// else (no go/types, no SSA), so it is tested with hand-built models.
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
//     pull them: a unit goes to the context it is most tied to; what
//     several contexts use alike, and what the kernel needs, is kernel
//     (the kernel cannot depend on a context); a typed constant follows
//     its type; a context made only of split declarations that serves no
//     entry point of its own, or only background jobs on another's data,
//     or is tied mostly to the kernel, dissolves into its neighbours.
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
