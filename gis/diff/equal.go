package diff

import (
	"encoding/json"
	"reflect"

	"github.com/paulmach/orb"
)

// equalGeometry reports whether a and b are the same geometry: the same type
// and exactly the same coordinates in the same order. It walks the
// coordinates without allocating. NaN equals NaN, so a geometry always equals
// itself. A nil geometry equals only nil; an empty one equals an empty one of
// the same type.
func equalGeometry(a, b orb.Geometry) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	switch a := a.(type) {
	case orb.Point:
		b, ok := b.(orb.Point)
		return ok && equalPoint(a, b)
	case orb.MultiPoint:
		b, ok := b.(orb.MultiPoint)
		return ok && equalPoints(a, b)
	case orb.LineString:
		b, ok := b.(orb.LineString)
		return ok && equalPoints(a, b)
	case orb.Ring:
		b, ok := b.(orb.Ring)
		return ok && equalPoints(a, b)
	case orb.MultiLineString:
		b, ok := b.(orb.MultiLineString)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !equalPoints(a[i], b[i]) {
				return false
			}
		}
		return true
	case orb.Polygon:
		b, ok := b.(orb.Polygon)
		return ok && equalPolygon(a, b)
	case orb.MultiPolygon:
		b, ok := b.(orb.MultiPolygon)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !equalPolygon(a[i], b[i]) {
				return false
			}
		}
		return true
	case orb.Collection:
		b, ok := b.(orb.Collection)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !equalGeometry(a[i], b[i]) {
				return false
			}
		}
		return true
	case orb.Bound:
		b, ok := b.(orb.Bound)
		return ok && equalPoint(a.Min, b.Min) && equalPoint(a.Max, b.Max)
	}
	// Types orb does not define (pointers to orb types, foreign
	// implementations of orb.Geometry): rare, so the slow generic way.
	return reflect.DeepEqual(a, b)
}

func equalPolygon(a, b orb.Polygon) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !equalPoints(a[i], b[i]) {
			return false
		}
	}
	return true
}

// equalPoints compares two point sequences; []orb.Point is the underlying
// type of MultiPoint, LineString and Ring.
func equalPoints[S ~[]orb.Point](a, b S) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true // shared backing array: a body decoded once, used twice
	}
	for i := range a {
		if a[i] != b[i] && !equalPoint(a[i], b[i]) {
			return false
		}
	}
	return true
}

func equalPoint(a, b orb.Point) bool {
	return equalFloat(a[0], b[0]) && equalFloat(a[1], b[1])
}

func equalFloat(a, b float64) bool {
	return a == b || (a != a && b != b)
}

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
	if fa, ok := number(a); ok {
		fb, ok := number(b)
		return ok && equalFloat(fa, fb)
	}
	if _, ok := number(b); ok {
		return false
	}
	return reflect.DeepEqual(a, b)
}

// number returns v as a float64 when it is a Go number or a json.Number.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int8:
		return float64(x), true
	case int16:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint8:
		return float64(x), true
	case uint16:
		return float64(x), true
	case uint32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}
