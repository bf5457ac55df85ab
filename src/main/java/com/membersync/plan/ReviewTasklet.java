package com.membersync.plan;

import com.membersync.config.ChangeLimit;
import com.membersync.config.OnAbsent;
import com.membersync.connector.Fields;
import com.membersync.feed.FeedRunContext;
import com.membersync.feed.FeedSpec;
import com.membersync.feed.RunOptions;
import com.membersync.observability.PersonalData;
import com.membersync.state.FeedRun;
import com.membersync.state.FeedRunRepository;
import com.membersync.state.MemberStateRepository;
import com.membersync.state.OutboxRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Looks at a finished plan before anything is sent. A dry run ends here, and so does a plan the mass-change
 * guard does not trust (too many changes for the members already synced, or too many rejected rows: most
 * likely the wrong file). Either way the plan is dropped and the job ends with exit status {@link #HELD}.
 */
class ReviewTasklet implements Tasklet {

    static final String HELD = "HELD";
    static final int PREVIEW = 5;

    private final FeedRunContext context;
    private final RunOptions options;
    private final FeedRunRepository feedRuns;
    private final OutboxRepository outbox;
    private final MemberStateRepository state;

    ReviewTasklet(FeedRunContext context, RunOptions options, FeedRunRepository feedRuns, OutboxRepository outbox,
            MemberStateRepository state) {
        this.context = context;
        this.options = options;
        this.feedRuns = feedRuns;
        this.outbox = outbox;
        this.state = state;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long feedRunId = context.feedRunId();
        FeedRun run = feedRuns.find(feedRunId).orElseThrow();
        String stop = options.force() ? null : guard(run);
        if (stop != null || options.dryRun()) {
            context.review(new FeedRunContext.Review(stop, preview(feedRunId)));
            outbox.deletePending(feedRunId);
            contribution.setExitStatus(new ExitStatus(HELD));
        }
        return RepeatStatus.FINISHED;
    }

    /** Why the guard stops this plan, or null when it lets it through. */
    private String guard(FeedRun run) {
        FeedSpec feed = context.feed();
        ChangeLimit maxChanges = options.maxChanges() != null ? ChangeLimit.parse(options.maxChanges()) : feed.maxChanges();
        long deactivations = feed.properties().onAbsent() == OnAbsent.DEACTIVATE ? run.absent() : 0;
        return new MassChangeGuard(feed.name(), maxChanges, feed.maxRejected())
                .stops(new MassChangeGuard.Plan(run.read(), run.rejected(), run.planned() + deactivations),
                        () -> state.count(feed.scope()), () -> feedRuns.hasCompleted(feed.name()))
                .orElse(null);
    }

    /** The first planned changes as field-level diffs: {@code line 12 key k: email a@x -> b@x}. */
    private List<String> preview(long feedRunId) {
        var sample = outbox.sample(feedRunId, PREVIEW);
        Map<String, ObjectNode> cached = state.find(context.feed().scope(), sample.stream().map(c -> c.key()).toList());
        List<String> lines = new ArrayList<>();
        for (var change : sample) {
            ObjectNode before = options.fullResync() ? null : cached.get(change.key());
            StringBuilder line = new StringBuilder("line " + change.line() + " " + change.key() + ":");
            if (before == null) {
                line.append(" (not synced before)");
            }
            var personal = context.feed().vendor().personalFields();
            for (String field : Fields.changed(change.desired(), before)) {
                boolean mask = personal.contains(field);
                line.append(' ').append(field).append(' ').append(show(before == null ? null : before.get(field), mask))
                        .append(" -> ").append(show(change.desired().get(field), mask)).append(';');
            }
            lines.add(line.toString());
        }
        String fate = context.feed().properties().onAbsent() == OnAbsent.DEACTIVATE ? "to deactivate" : "kept";
        for (FeedRunContext.Absentee absent : context.absentees()) {
            lines.add("absent " + PersonalData.mask(absent.key()) + ": last synced " + absent.syncedAt() + ", " + fate);
        }
        return lines;
    }

    /** Personal values are masked: this preview goes to stdout, which often ends up in log files. */
    private static String show(JsonNode value, boolean personal) {
        if (value == null || value.isNull()) {
            return "(none)";
        }
        String text = value.isString() ? value.stringValue() : value.toString();
        if (personal) {
            text = PersonalData.maskValue(text);
        }
        return text.length() > 60 ? text.substring(0, 59) + "…" : text;
    }
}
