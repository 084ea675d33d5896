package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"time"
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
	stop, done chan struct{}
	gogc       int
	peak       uint64
}

func startLiveHeapSampler() *liveHeapSampler {
	h := &liveHeapSampler{stop: make(chan struct{}), done: make(chan struct{}), gogc: debug.SetGCPercent(liveGCPercent)}
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	go func() {
		defer close(h.done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			h.peak = max(h.peak, sample[0].Value.Uint64())
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

// end stops the sampler, restores GOGC and returns the peak.
func (h *liveHeapSampler) end() uint64 {
	close(h.stop)
	<-h.done
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample) // the last cycle's, however short the run
	debug.SetGCPercent(h.gogc)
	return max(h.peak, sample[0].Value.Uint64())
}

// liveHeap is the live heap after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}
