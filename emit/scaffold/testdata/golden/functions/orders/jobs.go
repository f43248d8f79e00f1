package orders

import (
	"context"
	"time"

	"example.com/tiny/services/orders/internal/adapt"
)

// SweeperRunEvery is how often cmd/server runs SweeperRunJob; template.yaml
// schedules it rate(1 minute). The monolith's period is not in the plan: set
// both to it.
const SweeperRunEvery = time.Minute

// SweeperRunJob does one round of the work of the monolith's
// example.com/tiny/orders.Sweeper.Run, which it ran with a goroutine on a
// ticker (cmd/tiny/main.go:20:2), once Wire sets it. A function keeps nothing
// between invocations: what the loop kept in memory goes to a store (see
// Stores).
var SweeperRunJob func(ctx context.Context) error

// RunSweeperRun runs SweeperRunJob: an EventBridge Scheduler schedule invokes
// it as a function, cmd/server on a ticker. Until SweeperRunJob is set it
// fails, saying so.
func RunSweeperRun(ctx context.Context) error {
	if SweeperRunJob == nil {
		return adapt.NotWiredError("SweeperRunJob", "example.com/tiny/orders.Sweeper.Run")
	}
	return SweeperRunJob(ctx)
}

// NotifyConsumer handles one message body of NotifyQueue once Wire sets it: the
// work of the monolith's example.com/tiny/orders.Service.notify, which it ran
// in a goroutine started at orders/orders.go:88:2: the code that started it
// sends a message to NotifyQueue instead (Stores.NotifyQueueURL), and this
// consumer does the work.
var NotifyConsumer func(ctx context.Context, body []byte) error

// ConsumeNotify runs NotifyConsumer on one message; a failed message is
// delivered again, then goes to the dead-letter queue. Until NotifyConsumer is
// set it fails, saying so.
func ConsumeNotify(ctx context.Context, body []byte) error {
	if NotifyConsumer == nil {
		return adapt.NotWiredError("NotifyConsumer", "example.com/tiny/orders.Service.notify")
	}
	return NotifyConsumer(ctx, body)
}
