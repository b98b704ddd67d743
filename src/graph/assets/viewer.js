/* placeholder */ function vnkgGraph(c, d, o) {}
