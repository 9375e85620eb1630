/**
 * Cost attribution in integer microdollars: events, reports, alerts and model pricing (DESIGN
 * section 7). It feeds the dollar limits of the budget policies.
 */
package io.kavach.cost;
