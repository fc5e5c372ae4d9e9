using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace ModelFunctions.Functions.Tests.Functions;

/// <summary>The least of a function invocation's context a middleware reads: its items and services.</summary>
internal sealed class TestFunctionContext(IDictionary<object, object> items) : FunctionContext
{
    public override string InvocationId => "test";

    public override string FunctionId => "test";

    public override TraceContext TraceContext => throw new NotSupportedException();

    public override BindingContext BindingContext => throw new NotSupportedException();

    public override RetryContext RetryContext => throw new NotSupportedException();

    public override IServiceProvider InstanceServices { get; set; } = new ServiceCollection().BuildServiceProvider();

    public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();

    public override IDictionary<object, object> Items { get; set; } = items;

    public override IInvocationFeatures Features => throw new NotSupportedException();
}
