// concurrency-scenario drives Go's clientv3 concurrency package (sessions, elections, mutexes) and the server-side
// v3lock/v3election gRPC services through one fixed scenario and prints what it observes, one line per step.
// The lines hold no ids or absolute revisions, so the transcript of etcd and of ActorStore can be compared as text.
//
// usage: concurrency-scenario -endpoints 127.0.0.1:2379[,...]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/clientv3/concurrency"
	"go.etcd.io/etcd/etcdserver/api/v3election/v3electionpb"
	"go.etcd.io/etcd/etcdserver/api/v3lock/v3lockpb"
)

func main() {
	endpoints := flag.String("endpoints", "127.0.0.1:2379", "comma-separated client endpoints")
	flag.Parse()
	if err := run(strings.Split(*endpoints, ",")); err != nil {
		fmt.Println("FAILED:", err)
		os.Exit(1)
	}
}

func say(format string, args ...interface{}) { fmt.Printf(format+"\n", args...) }

func connect(endpoints []string) *clientv3.Client {
	c, err := clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: 5 * time.Second})
	if err != nil {
		fmt.Println("FAILED: connect:", err)
		os.Exit(1)
	}
	return c
}

// blocked reports whether f is still running after d; the result channel gets f's error when it ends.
func blocked(d time.Duration, f func() error) (bool, chan error) {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		done <- err
		return false, done
	case <-time.After(d):
		return true, done
	}
}

func run(endpoints []string) error {
	ctx := context.Background()
	a, b, watcher := connect(endpoints), connect(endpoints), connect(endpoints)
	defer a.Close()
	defer b.Close()
	defer watcher.Close()

	// Elections through the client-side recipe.
	sa, err := concurrency.NewSession(a, concurrency.WithTTL(10))
	if err != nil {
		return err
	}
	sb, err := concurrency.NewSession(b, concurrency.WithTTL(10))
	if err != nil {
		return err
	}
	so, err := concurrency.NewSession(watcher, concurrency.WithTTL(10))
	if err != nil {
		return err
	}
	observer := concurrency.NewElection(so, "/scenario/election")
	if _, err := observer.Leader(ctx); err != nil {
		say("leader before any campaign: %v", err)
	}
	observeCtx, stopObserving := context.WithCancel(ctx)
	observed := observer.Observe(observeCtx)

	ea := concurrency.NewElection(sa, "/scenario/election")
	eb := concurrency.NewElection(sb, "/scenario/election")
	if err := ea.Campaign(ctx, "alpha"); err != nil {
		return err
	}
	say("a campaigned: leader key under prefix %v", strings.HasPrefix(ea.Key(), "/scenario/election/"))
	waiting, bDone := blocked(700*time.Millisecond, func() error { return eb.Campaign(ctx, "beta") })
	say("b waits while a leads: %v", waiting)
	if err := ea.Proclaim(ctx, "alpha-2"); err != nil {
		return err
	}
	leader, err := observer.Leader(ctx)
	if err != nil {
		return err
	}
	say("leader value after proclaim: %s", leader.Kvs[0].Value)
	if err := ea.Resign(ctx); err != nil {
		return err
	}
	if err := <-bDone; err != nil {
		return err
	}
	say("b leads after a resigned: rev after a's %v", eb.Rev() > ea.Rev() || ea.Rev() == 0)
	if err := ea.Proclaim(ctx, "stale"); err != nil {
		say("a proclaims after resigning: %v", err)
	}
	leader, _ = observer.Leader(ctx)
	say("leader value now: %s", leader.Kvs[0].Value)
	sb.Close()
	if _, err := observer.Leader(ctx); err != nil {
		say("leader after b's session closed: %v", err)
	}
	var values []string
	collect := time.After(1500 * time.Millisecond)
collecting:
	for {
		select {
		case resp, ok := <-observed:
			if !ok {
				break collecting
			}
			if len(resp.Kvs) > 0 {
				v := string(resp.Kvs[0].Value)
				if len(values) == 0 || values[len(values)-1] != v {
					values = append(values, v)
				}
			}
		case <-collect:
			break collecting
		}
	}
	stopObserving()
	say("observed leaders: %s", strings.Join(values, " -> "))

	// Mutexes through the client-side recipe.
	s1, _ := concurrency.NewSession(a, concurrency.WithTTL(10))
	s2, _ := concurrency.NewSession(b, concurrency.WithTTL(10))
	m1 := concurrency.NewMutex(s1, "/scenario/lock")
	m2 := concurrency.NewMutex(s2, "/scenario/lock")
	if err := m1.Lock(ctx); err != nil {
		return err
	}
	shortCtx, cancel := context.WithTimeout(ctx, 700*time.Millisecond)
	err = m2.Lock(shortCtx)
	cancel()
	say("second locker while the first holds: %v", err)
	waiting, m2Done := blocked(500*time.Millisecond, func() error { return m2.Lock(ctx) })
	say("second locker waits: %v", waiting)
	firstRev := m1.Header().Revision
	if err := m1.Unlock(ctx); err != nil {
		return err
	}
	if err := <-m2Done; err != nil {
		return err
	}
	say("second locker gets it after unlock, later revision: %v", m2.Header().Revision > firstRev)
	m2.Unlock(ctx)

	// A holder that stops renewing (its process died) frees the lock once its lease expires.
	dying, _ := concurrency.NewSession(a, concurrency.WithTTL(2))
	md := concurrency.NewMutex(dying, "/scenario/lock")
	if err := md.Lock(ctx); err != nil {
		return err
	}
	dying.Orphan()
	start := time.Now()
	if err := m2.Lock(ctx); err != nil {
		return err
	}
	waited := time.Since(start)
	say("lock freed by the dead holder's lease expiry: waited at least 1s %v, under 6s %v", waited >= time.Second, waited < 6*time.Second)
	m2.Unlock(ctx)

	// The server-side services etcd exposes over gRPC.
	locks := v3lockpb.NewLockClient(a.ActiveConnection())
	elections := v3electionpb.NewElectionClient(a.ActiveConnection())
	grant, err := a.Grant(ctx, 10)
	if err != nil {
		return err
	}
	held, err := locks.Lock(ctx, &v3lockpb.LockRequest{Name: []byte("/scenario/grpc-lock"), Lease: int64(grant.ID)})
	if err != nil {
		return err
	}
	say("v3lock key is name/lease-hex: %v", string(held.Key) == fmt.Sprintf("/scenario/grpc-lock/%x", int64(grant.ID)))
	shortCtx, cancel = context.WithTimeout(ctx, 700*time.Millisecond)
	_, err = locks.Lock(shortCtx, &v3lockpb.LockRequest{Name: []byte("/scenario/grpc-lock"), Lease: int64(s2.Lease())})
	cancel()
	say("v3lock second locker: %v", err != nil)
	if _, err := locks.Unlock(ctx, &v3lockpb.UnlockRequest{Key: held.Key}); err != nil {
		return err
	}
	_, err = locks.Lock(ctx, &v3lockpb.LockRequest{Name: []byte("/scenario/grpc-lock"), Lease: 0x7fffffff})
	say("v3lock with an unknown lease: %v", err)

	if _, err := elections.Leader(ctx, &v3electionpb.LeaderRequest{Name: []byte("/scenario/grpc-election")}); err != nil {
		say("v3election leader with no candidate: %v", err)
	}
	won, err := elections.Campaign(ctx, &v3electionpb.CampaignRequest{Name: []byte("/scenario/grpc-election"), Lease: int64(grant.ID), Value: []byte("one")})
	if err != nil {
		return err
	}
	say("v3election campaign: name %s, key is name/lease-hex %v, lease matches %v", won.Leader.Name,
		string(won.Leader.Key) == fmt.Sprintf("/scenario/grpc-election/%x", int64(grant.ID)), won.Leader.Lease == int64(grant.ID))
	if _, err := elections.Proclaim(ctx, &v3electionpb.ProclaimRequest{Leader: won.Leader, Value: []byte("two")}); err != nil {
		return err
	}
	current, err := elections.Leader(ctx, &v3electionpb.LeaderRequest{Name: []byte("/scenario/grpc-election")})
	if err != nil {
		return err
	}
	say("v3election leader value: %s", current.Kv.Value)
	stream, err := elections.Observe(ctx, &v3electionpb.LeaderRequest{Name: []byte("/scenario/grpc-election")})
	if err != nil {
		return err
	}
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	say("v3election observe starts with: %s", first.Kv.Value)
	if _, err := elections.Resign(ctx, &v3electionpb.ResignRequest{Leader: won.Leader}); err != nil {
		return err
	}
	_, err = elections.Proclaim(ctx, &v3electionpb.ProclaimRequest{Leader: won.Leader, Value: []byte("three")})
	say("v3election proclaim after resign: %v", err)
	say("done")
	return nil
}
