package main

import (
	"runtime/debug"
	"testing"
)

var sink []byte

func TestLiveHeapSampler(t *testing.T) {
	const held, churned, chunk = 16 << 20, 128 << 20, 256 << 10
	t.Run("counts what is held, not the garbage waiting for a collection", func(t *testing.T) {
		before := liveHeap()
		h := startLiveHeapSampler()
		keep := make([]byte, held)
		for range churned / chunk {
			sink = make([]byte, chunk)
		}
		peak := h.end()
		if keep[held-1] != 0 {
			t.Fatal("unreachable: keeps keep alive")
		}
		if peak < before+held {
			t.Errorf("peak live %d MiB, below the %d MiB held above a %d MiB baseline", peak>>20, held>>20, before>>20)
		}
		if limit := before + held + 8<<20; peak > limit {
			t.Errorf("peak live %d MiB, above %d MiB: it counts the %d MiB of garbage", peak>>20, limit>>20, churned>>20)
		}
	})
	t.Run("gives GOGC back", func(t *testing.T) {
		old := debug.SetGCPercent(77)
		defer debug.SetGCPercent(old)
		startLiveHeapSampler().end()
		if got := debug.SetGCPercent(77); got != 77 {
			t.Errorf("GOGC %d after the sampler, want 77", got)
		}
	})
}
