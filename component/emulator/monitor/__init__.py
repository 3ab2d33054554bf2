"""Cloud Monitor (2018-07-24): ``GetMonitorData`` over the invocations the SCF service recorded."""
