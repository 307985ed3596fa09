Console.WriteLine("benchmark: not yet implemented"); return 1;
