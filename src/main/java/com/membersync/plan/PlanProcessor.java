package com.membersync.plan;

import com.membersync.connector.RowResult;
import com.membersync.feed.FeedSpec;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Checks the rows of a block that may have changed: validates and normalises each into the vendor's fields, for the
 * writer to diff against the cached state. Rows the reader already knows to be bad are rejected as they are.
 */
class PlanProcessor implements ItemProcessor<PlanReader.Block, PlanProcessor.Block> {

    /** A row that needs the full diff, with the fingerprint to store once its member is in step. */
    record Checked(RowResult result, long fingerprint) {}

    /** What became of a block: rows read, rows known unchanged by fingerprint, the rest; or the absent members. */
    record Block(int read, int unchanged, List<Checked> rows, PlanReader.Absent absent) {}

    private final FeedSpec feed;

    PlanProcessor(FeedSpec feed) {
        this.feed = feed;
    }

    @Override
    public Block process(PlanReader.Block block) {
        List<Checked> checked = new ArrayList<>(block.rows().size());
        for (PlanReader.Candidate candidate : block.rows()) {
            RowResult result = candidate.rejection() != null ? candidate.rejection()
                    : feed.vendor().read(candidate.row(), feed.properties().zone());
            checked.add(result instanceof RowResult.Rejection rejection
                    ? new Checked(rejection.withRow(candidate.row().asMap()), 0)
                    : new Checked(result, candidate.fingerprint()));
        }
        return new Block(block.read(), block.unchanged(), checked, block.absent());
    }
}
