package model

// Kernel stands for the shared kernel wherever a context's name is
// expected: in placements, findings, contracts and plans.
const Kernel = "shared-kernel"

// DeclID is the ID of a top-level declaration of package pkg: "pkg.Name",
// or "pkg.Recv.Name" for a method. All init functions of a package share
// the ID "pkg.init".
func DeclID(pkg, recv, name string) string {
	if recv != "" {
		return pkg + "." + recv + "." + name
	}
	return pkg + "." + name
}

// Placement says which context holds each declaration. A package listed
// whole places every declaration of it; a split package's declarations are
// placed by member names within the package ("Name", "Type" for a type
// and its methods, "Type.Method" for one method); a declaration of a split
// package that no name places stays in the Kernel.
type Placement struct {
	whole   map[string]string            // package → context
	members map[string]map[string]string // package → member name → context
	ignored map[string]bool              // packages and declaration IDs
}

// NewPlacement returns a placement that places nothing yet.
func NewPlacement() *Placement {
	return &Placement{whole: map[string]string{}, members: map[string]map[string]string{}, ignored: map[string]bool{}}
}

// Package places every declaration of pkg in context.
func (p *Placement) Package(pkg, context string) { p.whole[pkg] = context }

// Members places the declarations names name within pkg in context.
func (p *Placement) Members(pkg string, names []string, context string) {
	if p.members[pkg] == nil {
		p.members[pkg] = map[string]string{}
	}
	for _, n := range names {
		p.members[pkg][n] = context
	}
}

// Ignore leaves a package, or a declaration by ID, out of every context.
func (p *Placement) Ignore(pkgOrDecl string) { p.ignored[pkgOrDecl] = true }

// ContextOf returns the context holding d: a context's name, Kernel, or ""
// for an ignored package or declaration.
func (p *Placement) ContextOf(d Decl) string {
	if p.ignored[d.Package] || p.ignored[d.ID] {
		return ""
	}
	if c, ok := p.whole[d.Package]; ok {
		return c
	}
	if c, ok := MemberOwner(p.members[d.Package], d); ok {
		return c
	}
	return Kernel
}

// MemberOwner finds d among the member names of its package: a method by
// "Type.Method", then by its receiver type; anything else by its name.
func MemberOwner(names map[string]string, d Decl) (string, bool) {
	if d.Kind == KindMethod {
		if c, ok := names[d.Recv+"."+d.Name]; ok {
			return c, true
		}
		if c, ok := names[d.Recv]; ok {
			return c, true
		}
	}
	c, ok := names[d.Name]
	return c, ok
}
