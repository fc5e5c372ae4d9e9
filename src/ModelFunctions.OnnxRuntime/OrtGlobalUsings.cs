// The ONNX Runtime C# sources expect System.Reflection in scope (their own project imports it globally).
global using System.Reflection;
