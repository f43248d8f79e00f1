package cluster

// unionFind is a disjoint-set forest: each key's parent, a root being
// absent or its own parent.
type unionFind[K comparable] map[K]K

// find is x's root, compressing the path to it.
func (u unionFind[K]) find(x K) K {
	root := x
	for {
		p, ok := u[root]
		if !ok || p == root {
			break
		}
		root = p
	}
	for x != root {
		next := u[x]
		u[x] = root
		x = next
	}
	return root
}

// union puts x's set under into's root.
func (u unionFind[K]) union(x, into K) {
	if rx, ri := u.find(x), u.find(into); rx != ri {
		u[rx] = ri
	}
}
