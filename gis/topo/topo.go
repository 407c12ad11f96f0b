// Package topo checks a land-use layer against its plan boundary.
package topo
