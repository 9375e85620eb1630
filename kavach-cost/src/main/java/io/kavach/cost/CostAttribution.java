package io.kavach.cost;

import io.kavach.error.InvalidInputException;
import io.kavach.error.NotFoundException;
import io.kavach.model.CostEvent;
import java.time.Duration;
import java.util.List;

/**
 * Cost attribution per agent, tool, owner and delegation chain, in integer microdollars:
 * {@code kavach.costs()}. Thread-safe.
 */
public interface CostAttribution {

    /**
     * Stores a cost, adds it to the daily rollups and to the dollar counters of every applicable
     * policy in the same transaction, then tells the listeners of the alerts it raised.
     *
     * @throws InvalidInputException listing every invalid field, or naming an unknown agent or chain;
     *                               nothing is stored then
     */
    CostEvent recordCost(RecordCostRequest request);

    /** Records a model call priced by the configured {@link ModelPricing}; the tool is the model name. */
    CostEvent recordUsage(String agentId, String model, long inputTokens, long outputTokens);

    /** The agent's spend this calendar month. */
    CostReport getAgentCost(String agentId);

    /** @throws NotFoundException when the agent does not exist */
    CostReport getAgentCost(String agentId, CostPeriod period);

    /** The owner's agents' spend this calendar month. */
    CostReport getOwnerCost(String userId);

    CostReport getOwnerCost(String userId, CostPeriod period);

    /** The {@code n} agents that spent most this calendar month. */
    List<AgentCost> getTopAgentsByCost(int n);

    List<AgentCost> getTopAgentsByCost(int n, CostPeriod period);

    /** All spend attributed to the chain and the chains derived from it, over all recorded time. */
    CostReport getDelegationChainCost(String chainId);

    /** The agent's spend against the dollar limits of the policies that apply to it. */
    CostBudgetCheck checkBudget(String agentId);

    /** Deletes the events older than the configured retention; returns the count. */
    long cleanup();

    /** Deletes the events older than {@code retention}, keeping the rollups consistent; returns the count. */
    long cleanup(Duration retention);
}
