package diff

import (
	"reflect"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// equalGeometry reports whether a and b are the same geometry: the same type
// and exactly the same coordinates in the same order, gis.SameShape with no
// tolerance. NaN equals NaN, so a geometry always equals itself. A nil
// geometry equals only nil; an empty one equals an empty one of the same
// type.
func equalGeometry(a, b orb.Geometry) bool { return gis.SameShape(a, b, 0) }

// equalProperties reports whether two property maps hold the same values.
// A key whose value is nil (JSON null) counts as absent, so {"a": null}
// equals {}.
func equalProperties(a, b map[string]any) bool {
	if len(a) == len(b) && (len(a) == 0 || reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()) {
		return true
	}
	allPresent := len(a) == len(b)
	for k, va := range a {
		vb, ok := b[k]
		if !ok {
			allPresent = false
		}
		if !equalValue(va, vb) {
			return false
		}
	}
	if allPresent {
		return true // same size and every key of a is in b: b has no other key
	}
	for k, vb := range b {
		if vb == nil {
			continue
		}
		if _, ok := a[k]; !ok {
			return false
		}
	}
	return true
}

// equalValue compares two decoded JSON values (string, float64, bool, nil,
// []any, map[string]any) without reflection. Numbers of other Go types (int,
// json.Number, …, as callers building features by hand may use) compare by
// value with float64; anything else falls back to reflect.DeepEqual.
func equalValue(a, b any) bool {
	switch a := a.(type) {
	case string:
		b, ok := b.(string)
		return ok && a == b
	case float64:
		if b, ok := b.(float64); ok {
			return equalFloat(a, b)
		}
	case bool:
		b, ok := b.(bool)
		return ok && a == b
	case nil:
		return b == nil
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !equalValue(a[i], b[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		b, ok := b.(map[string]any)
		return ok && equalProperties(a, b)
	}
	if _, ok := b.(string); ok {
		return false // a is no string: "17" is not 17
	}
	if fa, ok := gis.Number(a); ok {
		fb, ok := gis.Number(b)
		return ok && equalFloat(fa, fb)
	}
	if _, ok := gis.Number(b); ok {
		return false
	}
	return reflect.DeepEqual(a, b)
}

func equalFloat(a, b float64) bool {
	return a == b || (a != a && b != b)
}
