package io.jneuron.core.cli;

import io.jneuron.core.report.Report;
import io.jneuron.core.service.Context;

/**
 * A verb that turns its parsed options into one service call and returns the result. The CLI prints the result
 * ({@link Output#print}); a magic parses the same command and returns the result to the notebook, which renders it.
 */
public interface ReportCommand {
    Report report(Context ctx);
}
