"""The agency's side (机构汇总), Qt-free: agency workspace, sheet import, consolidation inputs, exports."""
