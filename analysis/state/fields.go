package state

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/ssa"
)

// fieldUse gathers the accesses to one field by its type's methods.
type fieldUse struct {
	v      *types.Var
	owner  *types.Named
	writes []Access
	reads  []Access
	// evidence says why the object is long-lived: its writer is a
	// request handler, or takes the object's own lock.
	evidence string
}

// fields finds fields of long-lived objects that their methods change at
// run time. An object counts as long-lived when a method that changes the
// field is a request handler or takes a lock held in the object itself:
// both say that the object outlives a call and is shared by concurrent
// requests. Other methods that change their receiver (builders, buffers)
// are ordinary code and not reported.
func (p *pass) fields() {
	uses := map[*types.Var]*fieldUse{}
	var order []*fieldUse
	for _, fn := range p.funcs {
		recv := receiverParam(fn)
		if recv == nil {
			continue
		}
		owner := namedOf(recv.Type())
		if owner == nil || owner.Obj().Pkg() != p.pkg.Pkg {
			continue
		}
		evidence := ""
		switch {
		case p.registered(fn):
			evidence = "a request handler"
		case p.locksReceiver(fn, recv):
			evidence = "under the object's own lock"
		}
		instrs(fn, func(instr ssa.Instruction) {
			var found []mutation
			if u, ok := instr.(*ssa.UnOp); ok && u.Op == token.MUL {
				if feedsWrite(u) {
					return
				}
				found = []mutation{{target: u.X, op: OpRead}}
			} else {
				found = p.mutationsIn(instr, nil)
			}
			for _, m := range found {
				o := p.originOf(m.target)
				if o.root != recv || o.field == nil || !hasField(owner, o.field) {
					continue
				}
				t := o.field.Type()
				if isSyncType(t) || isCacheType(t) || p.cacheShaped(t) {
					continue
				}
				fu := uses[o.field.Origin()]
				if fu == nil {
					fu = &fieldUse{v: o.field.Origin(), owner: owner}
					uses[o.field.Origin()] = fu
					order = append(order, fu)
				}
				if m.op == OpRead {
					fu.reads = append(fu.reads, p.access(fn, instr, OpRead, ""))
					continue
				}
				op := m.op
				if st, ok := instr.(*ssa.Store); ok {
					op = OpElement
					if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
						if xo := p.originOf(fa.X); xo.root == recv && !xo.selected {
							op = storeOp(st)
						}
					}
				}
				a := p.access(fn, instr, op, m.method)
				if evidence == "a request handler" && a.Phase == PhaseUnknown {
					a.Phase = PhaseRequest
				}
				fu.writes = append(fu.writes, a)
				if evidence != "" && fu.evidence == "" {
					fu.evidence = evidence
				}
			}
		})
	}
	sort.SliceStable(order, func(i, j int) bool { return before(p.fset, order[i].v.Pos(), order[j].v.Pos()) })
	for _, fu := range order {
		if fu.evidence == "" || len(fu.writes) == 0 {
			continue
		}
		fu.writes, fu.reads = dedupe(fu.writes), dedupe(fu.reads)
		typ := fu.owner.Obj().Name()
		kind := valueKind(fu.v.Type())
		w := fu.writes[0]
		p.add(Finding{
			Check:   FieldMutable,
			Pos:     fu.v.Pos(),
			Object:  p.pkg.Pkg.Path() + "." + typ + "." + fu.v.Name(),
			Var:     fu.v,
			Variant: kind,
			Writers: fu.writes,
			Readers: fu.reads,
			Message: fmt.Sprintf("field %s.%s (%s) of a long-lived %s %s by %s, %s%s",
				typ, fu.v.Name(), describe(fu.v.Name(), fu.v.Type(), kind), typ, verbField(w), shortName(w.Decl), fu.evidence, readBy(fu.reads)),
			Remedy: mutableRemedy(fu.v.Name(), kind),
		})
	}
}

func verbField(a Access) string {
	if a.Op == OpAssign {
		return "is replaced"
	}
	return verb(a)
}

// locksReceiver reports whether fn, or the method it is nested in, locks
// a mutex held in the receiver.
func (p *pass) locksReceiver(fn *ssa.Function, recv *ssa.Parameter) bool {
	for f := fn; f != nil; f = f.Parent() {
		found := false
		instrs(f, func(instr ssa.Instruction) {
			if c, ok := instr.(ssa.CallInstruction); ok && !found && isLockCall(c.Common()) {
				if p.originOf(receiverArg(c.Common())).root == recv {
					found = true
				}
			}
		})
		if found {
			return true
		}
	}
	return false
}

// hasField reports whether v is a field of the struct type n.
func hasField(n *types.Named, v *types.Var) bool {
	s, ok := n.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	v = v.Origin()
	for i := 0; i < s.NumFields(); i++ {
		if f := s.Field(i); f == v || (f.Pos() == v.Pos() && f.Name() == v.Name()) {
			return true
		}
	}
	return false
}
