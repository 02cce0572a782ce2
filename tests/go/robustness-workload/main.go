// robustness-workload drives a cluster with concurrent clientv3 clients while the test injects a fault, watches every
// member, and writes what it saw as a history file (JSON lines) for the robustness checkers in
// tests/ActorStore.Robustness: one "op" line per call, the watchers' responses, the keyspace at every revision, and a
// final line.
//
// usage: robustness-workload -members m1=http://10.0.0.2:2379,m2=... -out history.jsonl [-clients 8] [-pinned 3]
//
//	[-duration 12s] [-op-timeout 1500ms] [-rate 150] [-settle 0s] [-seed 1] [-hard-limit 3m]
//
// Exit 0 once the history is written; otherwise non-zero with the reason on stderr.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/mvcc/mvccpb"
	"go.etcd.io/etcd/pkg/logutil"
	"go.uber.org/zap"
)

const (
	keyPrefix = "k"
	keyCount  = 10
)

type member struct{ name, url string }

type config struct {
	members   []member
	clients   int
	pinned    int
	duration  time.Duration
	opTimeout time.Duration
	rate      float64
	settle    time.Duration
	seed      int64
	out       string
}

func main() {
	var cfg config
	membersFlag := flag.String("members", "", "comma-separated name=url pairs, one per member")
	flag.IntVar(&cfg.clients, "clients", 8, "number of clients")
	flag.IntVar(&cfg.pinned, "pinned", 3, "how many clients have only one member's endpoint (round robin over members)")
	flag.DurationVar(&cfg.duration, "duration", 12*time.Second, "how long the clients run")
	flag.DurationVar(&cfg.opTimeout, "op-timeout", 1500*time.Millisecond, "deadline of every client call")
	flag.Float64Var(&cfg.rate, "rate", 150, "target operations per second over all clients")
	flag.DurationVar(&cfg.settle, "settle", 0, "pause between stopping the clients and reading the final revision")
	flag.Int64Var(&cfg.seed, "seed", 1, "seed of the clients' choices")
	flag.StringVar(&cfg.out, "out", "", "history file to write")
	hardLimit := flag.Duration("hard-limit", 0, "exit non-zero if the run takes longer (default: duration + settle + 2m)")
	flag.Parse()

	members, err := parseMembers(*membersFlag)
	if err != nil || cfg.out == "" || cfg.clients < 1 || cfg.pinned < 0 || cfg.pinned > cfg.clients || cfg.rate <= 0 {
		fmt.Fprintf(os.Stderr, "bad flags (members: %v)\n", err)
		flag.Usage()
		os.Exit(2)
	}
	cfg.members = members
	if *hardLimit == 0 {
		*hardLimit = cfg.duration + cfg.settle + 2*time.Minute
	}
	// Whatever hangs (a client that never returns, a member that never comes back), the run ends.
	time.AfterFunc(*hardLimit, func() {
		fmt.Fprintf(os.Stderr, "robustness-workload: hard limit %v reached\n", *hardLimit)
		os.Exit(3)
	})

	summary, err := run(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "robustness-workload:", err)
		os.Exit(1)
	}
	fmt.Println(summary)
}

func parseMembers(s string) ([]member, error) {
	var members []member
	for _, pair := range strings.Split(s, ",") {
		parts := strings.SplitN(pair, "=", 2)
		if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
			return nil, fmt.Errorf("%q is not name=url", pair)
		}
		members = append(members, member{parts[0], parts[1]})
	}
	return members, nil
}

// --- history lines (field names are the history format's) ---

type kvJSON struct {
	Key            string `json:"key"`
	Value          string `json:"value"`
	CreateRevision int64  `json:"create_revision"`
	ModRevision    int64  `json:"mod_revision"`
	Version        int64  `json:"version"`
}

type opLine struct {
	Kind      string   `json:"kind"`
	Client    int      `json:"client"`
	Member    string   `json:"member"`
	ID        int64    `json:"id"`
	Type      string   `json:"type"`
	Key       string   `json:"key"`
	Key2      string   `json:"key2"`
	Value     string   `json:"value"`
	Expect    string   `json:"expect"`
	Call      int64    `json:"call"`
	Return    int64    `json:"return"`
	OK        bool     `json:"ok"`
	Error     string   `json:"error"`
	Revision  int64    `json:"revision"`
	Succeeded bool     `json:"succeeded"`
	Prev      *kvJSON  `json:"prev"`
	Kvs       []kvJSON `json:"kvs"`
	Deleted   int64    `json:"deleted"`
}

type eventJSON struct {
	Type   string  `json:"type"`
	Kv     kvJSON  `json:"kv"`
	PrevKv *kvJSON `json:"prev_kv"`
}

type watchLine struct {
	Kind    string      `json:"kind"`
	Member  string      `json:"member"`
	Segment int         `json:"segment"`
	Start   int64       `json:"start"`
	Events  []eventJSON `json:"events"`
}

type watchEndLine struct {
	Kind         string `json:"kind"`
	Member       string `json:"member"`
	Complete     bool   `json:"complete"`
	LastRevision int64  `json:"last_revision"`
}

type stateLine struct {
	Kind     string   `json:"kind"`
	Revision int64    `json:"revision"`
	Kvs      []kvJSON `json:"kvs"`
}

type finalLine struct {
	Kind     string `json:"kind"`
	Revision int64  `json:"revision"`
	Ops      int64  `json:"ops"`
}

func toKV(kv *mvccpb.KeyValue) kvJSON {
	return kvJSON{string(kv.Key), string(kv.Value), kv.CreateRevision, kv.ModRevision, kv.Version}
}

func toKVs(kvs []*mvccpb.KeyValue) []kvJSON {
	out := make([]kvJSON, 0, len(kvs))
	for _, kv := range kvs {
		out = append(out, toKV(kv))
	}
	return out
}

// history writes lines from every goroutine, one whole line at a time.
type history struct {
	mu  sync.Mutex
	w   *bufio.Writer
	err error
}

func (h *history) write(line interface{}) {
	data, err := json.Marshal(line)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err != nil {
		return
	}
	if err != nil {
		h.err = err
		return
	}
	data = append(data, '\n')
	if _, err := h.w.Write(data); err != nil {
		h.err = err
	}
}

// --- the run ---

func connect(endpoints []string) (*clientv3.Client, error) {
	// Default options, so clientv3's retry interceptor works as it does for any user; only its log is quieter,
	// as every failed attempt during a fault would otherwise print a warning.
	logConfig := logutil.DefaultZapLoggerConfig
	logConfig.Level = zap.NewAtomicLevelAt(zap.ErrorLevel)
	return clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: 5 * time.Second, LogConfig: &logConfig})
}

func run(cfg config) (string, error) {
	var all []string
	for _, m := range cfg.members {
		all = append(all, m.url)
	}
	partial := cfg.out + ".partial"
	file, err := os.Create(partial)
	if err != nil {
		return "", err
	}
	defer file.Close()
	h := &history{w: bufio.NewWriterSize(file, 1<<20)}
	start := time.Now()
	// time.Since reads Go's monotonic clock.
	now := func() int64 { return int64(time.Since(start)) }

	observer, err := connect(all)
	if err != nil {
		return "", fmt.Errorf("connect: %v", err)
	}
	defer observer.Close()

	watchCtx, stopWatching := context.WithCancel(context.Background())
	defer stopWatching()
	var watchers []*watcher
	var watching sync.WaitGroup
	for _, m := range cfg.members {
		cli, err := connect([]string{m.url})
		if err != nil {
			return "", fmt.Errorf("connect to %s: %v", m.name, err)
		}
		defer cli.Close()
		w := &watcher{member: m.name, cli: cli}
		watchers = append(watchers, w)
		watching.Add(1)
		go func() {
			defer watching.Done()
			w.run(watchCtx, h)
		}()
	}

	stop := make(chan struct{})
	var ops int64
	var working sync.WaitGroup
	var workers []*worker
	for n := 0; n < cfg.clients; n++ {
		w := &worker{n: n, opTimeout: cfg.opTimeout, rng: rand.New(rand.NewSource(cfg.seed*1000 + int64(n))), seen: map[string]string{}}
		endpoints := all
		if n < cfg.pinned {
			m := cfg.members[n%len(cfg.members)]
			w.pinned, endpoints = m.name, []string{m.url}
		}
		if w.cli, err = connect(endpoints); err != nil {
			return "", fmt.Errorf("connect client %d: %v", n, err)
		}
		defer w.cli.Close()
		workers = append(workers, w)
	}
	// Each client pauses about clients/rate seconds between calls, so all together make about rate calls a second.
	pause := time.Duration(float64(cfg.clients) / cfg.rate * float64(time.Second))
	for _, w := range workers {
		working.Add(1)
		go func(w *worker) {
			defer working.Done()
			w.loop(stop, pause, now, h, &ops)
		}(w)
	}
	time.Sleep(cfg.duration)
	close(stop)
	working.Wait()
	time.Sleep(cfg.settle)

	final, err := finalRevision(observer, 30*time.Second)
	if err != nil {
		return "", fmt.Errorf("final revision: %v", err)
	}
	waitForWatchers(watchers, final, 30*time.Second)
	stopWatching()
	watching.Wait()
	for _, w := range watchers {
		last := atomic.LoadInt64(&w.last)
		h.write(watchEndLine{"watchend", w.member, last >= final, last})
	}
	if err := writeStates(observer, h, final, time.Minute); err != nil {
		return "", err
	}
	h.write(finalLine{"final", final, atomic.LoadInt64(&ops)})

	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err == nil {
		h.err = h.w.Flush()
	}
	if h.err != nil {
		return "", fmt.Errorf("write %s: %v", partial, h.err)
	}
	if err := file.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(partial, cfg.out); err != nil {
		return "", err
	}
	return summarize(workers, watchers, final), nil
}

func summarize(workers []*worker, watchers []*watcher, final int64) string {
	byType := map[string][2]int{}
	total, failed := 0, 0
	for _, w := range workers {
		for typ, c := range w.counts {
			sum := byType[typ]
			sum[0] += c[0]
			sum[1] += c[1]
			byType[typ] = sum
			total += c[0]
			failed += c[1]
		}
	}
	var types []string
	for typ := range byType {
		types = append(types, typ)
	}
	sort.Strings(types)
	var parts []string
	for _, typ := range types {
		parts = append(parts, fmt.Sprintf("%s %d (%d failed)", typ, byType[typ][0], byType[typ][1]))
	}
	var ends []string
	for _, w := range watchers {
		ends = append(ends, fmt.Sprintf("%s at %d", w.member, atomic.LoadInt64(&w.last)))
	}
	return fmt.Sprintf("ops %d (%d failed): %s; final revision %d; watchers %s",
		total, failed, strings.Join(parts, ", "), final, strings.Join(ends, ", "))
}

// --- clients ---

type worker struct {
	n         int
	pinned    string
	cli       *clientv3.Client
	opTimeout time.Duration
	rng       *rand.Rand
	// seen is the last value this client saw for each key ("" for none): what its cas expects.
	seen   map[string]string
	counts map[string][2]int
}

func (w *worker) loop(stop <-chan struct{}, pause time.Duration, now func() int64, h *history, ops *int64) {
	w.counts = map[string][2]int{}
	for id := int64(1); ; id++ {
		select {
		case <-stop:
			return
		default:
		}
		line := w.call(id, now)
		h.write(line)
		atomic.AddInt64(ops, 1)
		c := w.counts[line.Type]
		c[0]++
		if !line.OK {
			c[1]++
		}
		w.counts[line.Type] = c
		select {
		case <-stop:
			return
		case <-time.After(time.Duration((0.5 + w.rng.Float64()) * float64(pause))):
		}
	}
}

func (w *worker) key() string { return fmt.Sprintf("%s%d", keyPrefix, w.rng.Intn(keyCount)) }

// call makes one randomly chosen call with the per-call deadline and records what was sent and what came back.
func (w *worker) call(id int64, now func() int64) opLine {
	line := opLine{Kind: "op", Client: w.n, Member: w.pinned, ID: id, Key: w.key(), Kvs: []kvJSON{}}
	value := fmt.Sprintf("c%d-%d", w.n, id)
	ctx, cancel := context.WithTimeout(context.Background(), w.opTimeout)
	defer cancel()
	kv := w.cli.KV
	roll := w.rng.Intn(100)
	if roll >= 55 && roll < 70 && w.seen[line.Key] == "" {
		roll = 70 // a cas needs a value to expect: create the key instead
	}
	var err error
	switch {
	case roll < 20:
		line.Type = "get"
		line.Call = now()
		var resp *clientv3.GetResponse
		resp, err = kv.Get(ctx, line.Key)
		line.Return = now()
		if err == nil {
			line.Revision, line.Kvs = resp.Header.Revision, toKVs(resp.Kvs)
			w.remember(line.Key, line.Kvs)
		}
	case roll < 30:
		line.Type, line.Key = "range", keyPrefix
		line.Call = now()
		var resp *clientv3.GetResponse
		resp, err = kv.Get(ctx, keyPrefix, clientv3.WithPrefix())
		line.Return = now()
		if err == nil {
			line.Revision, line.Kvs = resp.Header.Revision, toKVs(resp.Kvs)
			w.seen = map[string]string{}
			for _, got := range line.Kvs {
				w.seen[got.Key] = got.Value
			}
		}
	case roll < 45:
		line.Type, line.Value = "put", value
		line.Call = now()
		var resp *clientv3.PutResponse
		resp, err = kv.Put(ctx, line.Key, value, clientv3.WithPrevKV())
		line.Return = now()
		if err == nil {
			line.Revision = resp.Header.Revision
			if resp.PrevKv != nil {
				prev := toKV(resp.PrevKv)
				line.Prev = &prev
			}
			w.seen[line.Key] = value
		}
	case roll < 55:
		line.Type = "delete"
		line.Call = now()
		var resp *clientv3.DeleteResponse
		resp, err = kv.Delete(ctx, line.Key, clientv3.WithPrevKV())
		line.Return = now()
		if err == nil {
			line.Revision, line.Deleted = resp.Header.Revision, resp.Deleted
			if len(resp.PrevKvs) > 0 {
				prev := toKV(resp.PrevKvs[0])
				line.Prev = &prev
			}
			w.seen[line.Key] = ""
		}
	case roll < 70:
		line.Type, line.Value, line.Expect = "cas", value, w.seen[line.Key]
		line.Call = now()
		var resp *clientv3.TxnResponse
		resp, err = kv.Txn(ctx).
			If(clientv3.Compare(clientv3.Value(line.Key), "=", line.Expect)).
			Then(clientv3.OpPut(line.Key, value)).
			Commit()
		line.Return = now()
		w.recordTxn(&line, resp, err)
	case roll < 85:
		line.Type, line.Value = "create", value
		line.Call = now()
		var resp *clientv3.TxnResponse
		resp, err = kv.Txn(ctx).
			If(clientv3.Compare(clientv3.CreateRevision(line.Key), "=", 0)).
			Then(clientv3.OpPut(line.Key, value)).
			Commit()
		line.Return = now()
		w.recordTxn(&line, resp, err)
	default:
		line.Type, line.Value = "txn2", value
		for line.Key2 == "" || line.Key2 == line.Key {
			line.Key2 = w.key()
		}
		line.Call = now()
		var resp *clientv3.TxnResponse
		resp, err = kv.Txn(ctx).Then(clientv3.OpPut(line.Key, value), clientv3.OpPut(line.Key2, value)).Commit()
		line.Return = now()
		w.recordTxn(&line, resp, err)
		if err == nil {
			w.seen[line.Key2] = value
		}
	}
	if err != nil {
		line.Error = err.Error()
	} else {
		line.OK = true
	}
	return line
}

func (w *worker) recordTxn(line *opLine, resp *clientv3.TxnResponse, err error) {
	if err != nil {
		return
	}
	line.Revision, line.Succeeded = resp.Header.Revision, resp.Succeeded
	if resp.Succeeded {
		w.seen[line.Key] = line.Value
	}
}

func (w *worker) remember(key string, kvs []kvJSON) {
	w.seen[key] = ""
	for _, got := range kvs {
		w.seen[got.Key] = got.Value
	}
}

// --- watchers ---

type watcher struct {
	member string
	cli    *clientv3.Client
	// last is the highest revision of an event received so far.
	last int64
}

// run watches the whole keyspace from revision 1. clientv3 resumes a broken stream by itself; only when the channel
// closes (the watch was canceled) does a new segment start, after the last revision received.
func (w *watcher) run(ctx context.Context, h *history) {
	start := int64(1)
	for segment := 0; ctx.Err() == nil; segment++ {
		for resp := range w.cli.Watch(ctx, keyPrefix, clientv3.WithPrefix(), clientv3.WithRev(start), clientv3.WithPrevKV()) {
			if len(resp.Events) > 0 {
				line := watchLine{Kind: "watch", Member: w.member, Segment: segment, Start: start}
				for _, ev := range resp.Events {
					e := eventJSON{Type: ev.Type.String(), Kv: toKV(ev.Kv)}
					if ev.PrevKv != nil {
						prev := toKV(ev.PrevKv)
						e.PrevKv = &prev
					}
					line.Events = append(line.Events, e)
					if ev.Kv.ModRevision > atomic.LoadInt64(&w.last) {
						atomic.StoreInt64(&w.last, ev.Kv.ModRevision)
					}
				}
				h.write(line)
			}
			if err := resp.Err(); err != nil && ctx.Err() == nil {
				fmt.Fprintf(os.Stderr, "watcher on %s, segment %d: %v\n", w.member, segment, err)
			}
		}
		start = atomic.LoadInt64(&w.last) + 1
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func waitForWatchers(watchers []*watcher, final int64, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		behind := false
		for _, w := range watchers {
			if atomic.LoadInt64(&w.last) < final {
				behind = true
			}
		}
		if !behind {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// --- the end state ---

// finalRevision is the revision of a linearizable read once the cluster answers one again.
func finalRevision(cli *clientv3.Client, timeout time.Duration) (int64, error) {
	deadline := time.Now().Add(timeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		resp, err := cli.Get(ctx, keyPrefix, clientv3.WithPrefix(), clientv3.WithCountOnly())
		cancel()
		if err == nil {
			return resp.Header.Revision, nil
		}
		if time.Now().After(deadline) {
			return 0, err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// writeStates writes the keyspace at every revision from 1 to final, read by a few readers at once.
func writeStates(cli *clientv3.Client, h *history, final int64, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	states := make([][]kvJSON, final+1)
	errs := make([]error, final+1)
	revisions := make(chan int64)
	var reading sync.WaitGroup
	for i := 0; i < 4; i++ {
		reading.Add(1)
		go func() {
			defer reading.Done()
			for r := range revisions {
				for {
					ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
					resp, err := cli.Get(ctx, keyPrefix, clientv3.WithPrefix(), clientv3.WithRev(r))
					cancel()
					if err == nil {
						states[r] = toKVs(resp.Kvs)
						break
					}
					if time.Now().After(deadline) {
						errs[r] = err
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
		}()
	}
	for r := int64(1); r <= final; r++ {
		revisions <- r
	}
	close(revisions)
	reading.Wait()
	for r := int64(1); r <= final; r++ {
		if errs[r] != nil {
			return fmt.Errorf("state at revision %d: %v", r, errs[r])
		}
		h.write(stateLine{"state", r, states[r]})
	}
	return nil
}
