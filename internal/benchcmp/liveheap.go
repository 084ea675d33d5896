package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// liveGCPercent is the GOGC of a live-heap measure: the collector runs
// after every 5 % of new allocation, so that each cycle's count of live
// bytes follows the heap closely, and garbage waiting for the next cycle
// (which depends on GOGC and on how much was allocated, not on what is
// held) stays out of the measure.
const liveGCPercent = 5

// liveHeapSampler records the peak of the live heap (the bytes a
// collection found reachable, /gc/heap/live:bytes) while it runs, with
// the collector set to liveGCPercent. It measures what a run holds, not
// the heap's size at the default GOGC (heapSampler does that).
type liveHeapSampler struct {
	*heapSampler
	gogc int
}

func startLiveHeapSampler() *liveHeapSampler {
	gogc := debug.SetGCPercent(liveGCPercent)
	return &liveHeapSampler{heapSampler: startSampling("/gc/heap/live:bytes"), gogc: gogc}
}

// end stops the sampler, restores GOGC and returns the peak.
func (h *liveHeapSampler) end() uint64 {
	peak := h.heapSampler.end()
	debug.SetGCPercent(h.gogc)
	return peak
}

// liveHeap is the live heap after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}
